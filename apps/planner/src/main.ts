import 'reflect-metadata';
import { runVigilApp, startVigilService } from '@vigil/messaging';
import { plannerEnvSchema } from './planner.config';
import { PlannerModule } from './planner.module';

runVigilApp('planner', plannerEnvSchema, async (config, logger) => {
  await startVigilService({
    module: PlannerModule.forRoot(config, logger),
    logger,
    port: config.PLANNER_PORT,
  });
  logger.log({ msg: 'planner started', port: config.PLANNER_PORT, llm: config.OPENAI_BASE_URL });
});
