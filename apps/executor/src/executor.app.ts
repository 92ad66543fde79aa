import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { executorEnvSchema } from './executor.config';
import { ExecutorModule } from './executor.module';

export const executorApp = defineVigilApp({
  name: 'executor',
  envSchema: executorEnvSchema,
  start: async (config, logger) => {
    await startVigilService({
      module: ExecutorModule.forRoot(config, logger),
      logger,
      port: config.EXECUTOR_PORT,
    });
    logger.log({
      msg: 'executor started',
      port: config.EXECUTOR_PORT,
      environment: config.EXECUTOR_ENVIRONMENT,
    });
  },
});
