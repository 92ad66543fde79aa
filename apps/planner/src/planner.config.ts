import { z } from 'zod';
import { envLogLevel, envPort } from '@vigil/config';
import { neo4jEnvSchema } from '@vigil/graph';
import { llmEnvSchema } from '@vigil/llm';
import { kafkaEnvSchema } from '@vigil/messaging';

export const plannerEnvSchema = kafkaEnvSchema
  .extend(neo4jEnvSchema.shape)
  .extend(llmEnvSchema.shape)
  .extend({
    PLANNER_PORT: envPort(3108),
    PLANNER_GROUP: z.string().min(1).default('vigil-planner'),
    /** Where a new consumer group starts: `latest` plans from now on, `earliest` replays. */
    PLANNER_START_AT: z
      .enum(['earliest', 'latest'], { error: 'must be earliest or latest' })
      .default('latest'),
    LOG_LEVEL: envLogLevel,
  });
export type PlannerConfig = z.output<typeof plannerEnvSchema>;
