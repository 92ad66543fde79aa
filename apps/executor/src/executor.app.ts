import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { executorEnv } from './executor.config';
import { ExecutorModule } from './executor.module';

export const executorApp = defineVigilApp({
  name: 'executor',
  env: executorEnv,
  start: async (settings, logger) => {
    await startVigilService({
      module: ExecutorModule.forRoot(settings, logger),
      logger,
      port: settings.port,
    });
    logger.log({
      msg: 'executor started',
      port: settings.port,
      environment: settings.environment,
    });
  },
});
