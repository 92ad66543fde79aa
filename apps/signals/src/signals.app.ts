import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { signalsEnv } from './signals.config';
import { SignalsModule } from './signals.module';

export const signalsApp = defineVigilApp({
  name: 'signals',
  env: signalsEnv,
  start: async (settings, logger) => {
    await startVigilService({
      module: SignalsModule.forRoot(settings, logger),
      logger,
      port: settings.port,
    });
    logger.log({ msg: 'signals started', port: settings.port, group: settings.group });
  },
});
