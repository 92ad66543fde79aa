import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { consoleEnvSchema, oidcSettings } from './console.config';
import { ConsoleModule } from './console.module';
import { OidcSignIn } from './oidc-sign-in';
import { serveUi } from './static-ui';

export const consoleApp = defineVigilApp({
  name: 'console',
  envSchema: consoleEnvSchema,
  start: async (config, logger) => {
    const oidc = oidcSettings(config);
    if (!config.CONSOLE_USERS_FILE && !oidc)
      throw new Error(
        'console: nobody could sign in; set CONSOLE_USERS_FILE (local users) or CONSOLE_OIDC_* (single sign-on)',
      );
    const signIn = oidc ? await OidcSignIn.discover(oidc) : undefined;
    await startVigilService({
      module: ConsoleModule.forRoot(config, logger, signIn),
      logger,
      port: config.CONSOLE_PORT,
      host: config.CONSOLE_HOST,
      beforeListen: (app) => serveUi(app, config.CONSOLE_UI_DIR, logger),
    });
    logger.log({
      msg: 'console started',
      url: `http://${config.CONSOLE_HOST}:${config.CONSOLE_PORT}/`,
      signIn: [config.CONSOLE_USERS_FILE && 'local', oidc && 'oidc'].filter(Boolean),
    });
  },
});
