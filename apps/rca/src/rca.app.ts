import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { rcaEnvSchema } from './rca.config';
import { RcaModule } from './rca.module';

export const rcaApp = defineVigilApp({
  name: 'rca',
  envSchema: rcaEnvSchema,
  start: async (config, logger) => {
    await startVigilService({
      module: RcaModule.forRoot(config, logger),
      logger,
      port: config.RCA_PORT,
    });
    logger.log({ msg: 'rca started', port: config.RCA_PORT, group: config.RCA_GROUP });
  },
});
