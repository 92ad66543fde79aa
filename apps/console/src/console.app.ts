import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { consoleEnv } from './console.config';
import { ConsoleModule } from './console.module';
import { OidcSignIn } from './oidc-sign-in';
import { serveUi } from './static-ui';

export const consoleApp = defineVigilApp({
  name: 'console',
  env: consoleEnv,
  start: async (settings, logger) => {
    const oidc = settings.oidc;
    if (!settings.usersFile && !oidc)
      throw new Error(
        'console: nobody could sign in; set CONSOLE_USERS_FILE (local users) or CONSOLE_OIDC_* (single sign-on)',
      );
    const signIn = oidc ? await OidcSignIn.discover(oidc) : undefined;
    await startVigilService({
      module: ConsoleModule.forRoot(settings, logger, signIn),
      logger,
      port: settings.port,
      host: settings.host,
      beforeListen: (app) => serveUi(app, settings.uiDir, logger),
    });
    logger.log({
      msg: 'console started',
      url: `http://${settings.host}:${settings.port}/`,
      signIn: [settings.usersFile && 'local', oidc && 'oidc'].filter(Boolean),
    });
  },
});
