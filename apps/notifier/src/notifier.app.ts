import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { notifierEnv } from './notifier.config';
import { NotifierModule } from './notifier.module';

export const notifierApp = defineVigilApp({
  name: 'notifier',
  env: notifierEnv,
  start: async (settings, logger) => {
    await startVigilService({
      module: NotifierModule.forRoot(settings, logger),
      logger,
      port: settings.port,
    });
    logger.log({ msg: 'notifier started', port: settings.port, routes: settings.routesFile });
  },
});
