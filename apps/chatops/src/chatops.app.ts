import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { chatopsEnv } from './chatops.config';
import { ChatopsModule } from './chatops.module';

export const chatopsApp = defineVigilApp({
  name: 'chatops',
  env: chatopsEnv,
  start: async (settings, logger) => {
    await startVigilService({
      module: ChatopsModule.forRoot(settings, logger),
      logger,
      port: settings.port,
      host: settings.host,
      // Slack signs the raw bytes: the receiver reads the body itself, before any parsing.
      bodyParser: false,
    });
    const roles = Object.keys(settings.userRoles).length;
    if (roles === 0)
      logger.warn({ msg: 'no CHATOPS_USER_ROLES: everyone is refused every button and command' });
    logger.log({
      msg: 'chatops started',
      port: settings.port,
      mode: settings.mode,
      channel: settings.slack.channel,
      slackApi: settings.slack.apiUrl ?? 'https://slack.com/api/',
      roles,
    });
  },
});
