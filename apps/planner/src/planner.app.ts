import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { plannerEnv } from './planner.config';
import { PlannerModule } from './planner.module';

export const plannerApp = defineVigilApp({
  name: 'planner',
  env: plannerEnv,
  start: async (settings, logger) => {
    await startVigilService({
      module: PlannerModule.forRoot(settings, logger),
      logger,
      port: settings.port,
    });
    logger.log({ msg: 'planner started', port: settings.port, llm: settings.llm.baseUrl });
  },
});
