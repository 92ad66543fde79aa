import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { plannerEnvSchema } from './planner.config';
import { PlannerModule } from './planner.module';

export const plannerApp = defineVigilApp({
  name: 'planner',
  envSchema: plannerEnvSchema,
  start: async (config, logger) => {
    await startVigilService({
      module: PlannerModule.forRoot(config, logger),
      logger,
      port: config.PLANNER_PORT,
    });
    logger.log({ msg: 'planner started', port: config.PLANNER_PORT, llm: config.OPENAI_BASE_URL });
  },
});
