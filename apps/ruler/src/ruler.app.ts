import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { rulerEnvSchema } from './ruler.config';
import { RulerModule } from './ruler.module';

export const rulerApp = defineVigilApp({
  name: 'ruler',
  envSchema: rulerEnvSchema,
  start: async (config, logger) => {
    await startVigilService({
      module: RulerModule.forRoot(config, logger),
      logger,
      port: config.RULER_PORT,
    });
    logger.log({ msg: 'ruler started', port: config.RULER_PORT, rules: config.RULER_RULES });
  },
});
