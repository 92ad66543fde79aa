import { z } from 'zod';
import { envLogLevel, envPort } from '@vigil/config';
import { neo4jEnvSchema } from '@vigil/graph';
import { llmEnvSchema } from '@vigil/llm';
import { defaultDiagnosisGateOptions } from '@vigil/rca';
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
    /** How long the leading root cause must hold before a plan is drafted for it. */
    PLANNER_SETTLE_MS: z.coerce.number().int().min(0).default(defaultDiagnosisGateOptions.settleMs),
    /** A leader this many times the runner-up's score is planned for without waiting. */
    PLANNER_DECISIVE_RATIO: z.coerce
      .number()
      .min(1, 'must be at least 1')
      .default(defaultDiagnosisGateOptions.decisiveRatio),
    /** How long a leader known only by its alerts must lead before a plan is drafted for it. */
    PLANNER_ALERTS_ONLY_SETTLE_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(defaultDiagnosisGateOptions.alertsOnlySettleMs),
    /**
     * After a plan on a service completed, how long diagnoses naming it among their leading
     * candidates wait for its effects to show before another plan is drafted.
     */
    PLANNER_COOL_DOWN_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(defaultDiagnosisGateOptions.coolDownMs),
    /** Plans per incident; a diagnosis that changes after that is left to a human. */
    PLANNER_MAX_PLANS: z.coerce.number().int().min(1).default(defaultDiagnosisGateOptions.maxPlans),
    /**
     * How long the model may take to draft a runbook, over all its attempts; then the catalog's
     * known-good runbook for the diagnosis is used. Time here is time the service stays down.
     */
    PLANNER_DRAFT_BUDGET_MS: z.coerce
      .number()
      .int()
      .min(1_000, 'must be at least 1000')
      .default(15_000),
    LOG_LEVEL: envLogLevel,
  });
export type PlannerConfig = z.output<typeof plannerEnvSchema>;
