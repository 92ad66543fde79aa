import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { signalsEnvSchema } from './signals.config';
import { SignalsModule } from './signals.module';

export const signalsApp = defineVigilApp({
  name: 'signals',
  envSchema: signalsEnvSchema,
  start: async (config, logger) => {
    await startVigilService({
      module: SignalsModule.forRoot(config, logger),
      logger,
      port: config.SIGNALS_PORT,
    });
    logger.log({ msg: 'signals started', port: config.SIGNALS_PORT, group: config.SIGNALS_GROUP });
  },
});
