import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { correlatorEnvSchema } from './correlator.config';
import { CorrelatorModule } from './correlator.module';

export const correlatorApp = defineVigilApp({
  name: 'correlator',
  envSchema: correlatorEnvSchema,
  start: async (config, logger) => {
    await startVigilService({
      module: CorrelatorModule.forRoot(config, logger),
      logger,
      port: config.CORRELATOR_PORT,
    });
    logger.log({
      msg: 'correlator started',
      port: config.CORRELATOR_PORT,
      group: config.CORRELATOR_GROUP,
    });
  },
});
