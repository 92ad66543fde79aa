import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { chatopsEnvSchema } from './chatops.config';
import { ChatopsModule } from './chatops.module';

export const chatopsApp = defineVigilApp({
  name: 'chatops',
  envSchema: chatopsEnvSchema,
  start: async (config, logger) => {
    await startVigilService({
      module: ChatopsModule.forRoot(config, logger),
      logger,
      port: config.CHATOPS_PORT,
      host: config.CHATOPS_HOST,
      // Slack signs the raw bytes: the receiver reads the body itself, before any parsing.
      bodyParser: false,
    });
    const roles = Object.keys(config.userRoles).length;
    if (roles === 0)
      logger.warn({ msg: 'no CHATOPS_USER_ROLES: everyone is refused every button and command' });
    logger.log({
      msg: 'chatops started',
      port: config.CHATOPS_PORT,
      mode: config.CHATOPS_MODE,
      channel: config.SLACK_CHANNEL,
      slackApi: config.SLACK_API_URL ?? 'https://slack.com/api/',
      roles,
    });
  },
});
