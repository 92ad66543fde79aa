import { z } from 'zod';
import { defineEnvConfig, envBoolean, envDurationMs, envLogLevel, envPort } from '@vigil/config';
import { graphSettingsFromEnv, neo4jEnvSchema } from '@vigil/graph';
import { llmEnvSchema, llmSettingsFromEnv } from '@vigil/llm';
import { defaultDiagnosisGateOptions } from '@vigil/rca';
import { kafkaEnvSchema, kafkaSettingsFromEnv } from '@vigil/messaging';
import { planBookRetentionDefaults } from '@vigil/planning';

export const plannerEnvSchema = kafkaEnvSchema
  .extend(neo4jEnvSchema.shape)
  .extend(llmEnvSchema.shape)
  .extend({
    PLANNER_PORT: envPort(3108).describe('HTTP port (/metrics, /healthz).'),
    PLANNER_GROUP: z.string().min(1).default('vigil-planner').describe('Kafka consumer group.'),
    PLANNER_START_AT: z
      .enum(['earliest', 'latest'], { error: 'must be earliest or latest' })
      .default('latest')
      .describe('Where a new consumer group starts: latest plans from now on, earliest replays.'),
    PLANNER_SETTLE_MS: envDurationMs(defaultDiagnosisGateOptions.settleMs).describe(
      'How long the leading root cause must hold before a plan is drafted for it.',
    ),
    PLANNER_DECISIVE_RATIO: z.coerce
      .number()
      .min(1, 'must be at least 1')
      .default(defaultDiagnosisGateOptions.decisiveRatio)
      .describe(
        "A leader this many times the runner-up's score is planned for without waiting, when its own evidence proves its fault (gone, deployed, reconfigured, memory, CPU, or a log signature).",
      ),
    PLANNER_CLEAR_LEAD_RATIO: z.coerce
      .number()
      .min(1, 'must be at least 1')
      .default(defaultDiagnosisGateOptions.clearLeadRatio)
      .describe(
        "A leader less than this many times the runner-up's score is only narrowly ahead: it must lead PLANNER_CLOSE_RACE_SETTLE_MS before a plan is drafted for it.",
      ),
    PLANNER_CLOSE_RACE_SETTLE_MS: envDurationMs(
      defaultDiagnosisGateOptions.closeRaceSettleMs,
    ).describe(
      'How long a leader only narrowly ahead of the runner-up must lead before a plan is drafted.',
    ),
    PLANNER_ALERTS_ONLY_SETTLE_MS: envDurationMs(
      defaultDiagnosisGateOptions.alertsOnlySettleMs,
    ).describe('How long a leader known only by its alerts must lead before a plan is drafted.'),
    PLANNER_COOL_DOWN_MS: envDurationMs(defaultDiagnosisGateOptions.coolDownMs).describe(
      'After a plan on a service completed, how long diagnoses naming it among their leading candidates wait for its effects to show before another plan is drafted.',
    ),
    PLANNER_MAX_PLANS: z.coerce
      .number()
      .int()
      .min(1)
      .default(defaultDiagnosisGateOptions.maxPlans)
      .describe('Plans per incident; a diagnosis that changes after that is left to a human.'),
    PLANNER_ENDED_RETAIN_MS: envDurationMs(planBookRetentionDefaults.endedRetainMs).describe(
      'How long an incident that ended is remembered as ended (a late ranking of it starts no draft).',
    ),
    PLANNER_IDLE_MS: envDurationMs(planBookRetentionDefaults.idleMs).describe(
      'An incident nothing was heard of for this long is forgotten, with its plans.',
    ),
    PLANNER_MAX_INCIDENTS: z.coerce
      .number()
      .int()
      .min(1)
      .default(planBookRetentionDefaults.maxIncidents)
      .describe('Incidents remembered at most; the least recently heard of are forgotten first.'),
    PLANNER_DRAFT_BUDGET_MS: envDurationMs(15_000, { min: 1_000 }).describe(
      "How long the model may take to draft a runbook, over all its attempts; then the catalog's known-good runbook is used (time here is time the service stays down, unless the known-good runbook went first: see PLANNER_KNOWN_GOOD_FIRST).",
    ),
    PLANNER_KNOWN_GOOD_FIRST: envBoolean(true).describe(
      "When the diagnosed fault class has a known-good runbook in the catalog, it goes out at once and the model's draft follows it only when it treats something the first plan did not, after the first plan failed; false: the model drafts first and the known-good runbook is its fallback. Fault classes without one (unknown) are the model's either way.",
    ),
    PLANNER_EVIDENCE_SIGNATURES: envBoolean(true).describe(
      "When the diagnosed service's own logs show a known failure held outside the process (a full volume, a lock whose holder is gone, an undecodable cache entry, expired credentials, a failing primary), the catalog step that treats it goes out first, before the fault class's runbook and without asking the model (libs/action-catalog evidence-signatures).",
    ),
    PLANNER_MAX_QUEUED_FOLLOW_UPS: z.coerce
      .number()
      .int()
      .min(1)
      .default(50)
      .describe(
        "Model follow-ups (see PLANNER_KNOWN_GOOD_FIRST) waiting to be drafted at most; when more come, the oldest is given up and its known-good plan's failure, if it fails, goes to a human. The model drafts one at a time, so under an alert storm the queue would otherwise grow for as long as the storm lasts.",
      ),
    LOG_LEVEL: envLogLevel,
  });

/** What the planner runs with: read once from the environment. */
export const plannerSettingsSchema = plannerEnvSchema.transform((env) => ({
  logLevel: env.LOG_LEVEL,
  kafka: kafkaSettingsFromEnv(env, 'planner'),
  graph: graphSettingsFromEnv(env),
  llm: llmSettingsFromEnv(env),
  port: env.PLANNER_PORT,
  group: env.PLANNER_GROUP,
  startAt: env.PLANNER_START_AT,
  settleMs: env.PLANNER_SETTLE_MS,
  decisiveRatio: env.PLANNER_DECISIVE_RATIO,
  clearLeadRatio: env.PLANNER_CLEAR_LEAD_RATIO,
  closeRaceSettleMs: env.PLANNER_CLOSE_RACE_SETTLE_MS,
  alertsOnlySettleMs: env.PLANNER_ALERTS_ONLY_SETTLE_MS,
  coolDownMs: env.PLANNER_COOL_DOWN_MS,
  maxPlans: env.PLANNER_MAX_PLANS,
  endedRetainMs: env.PLANNER_ENDED_RETAIN_MS,
  idleMs: env.PLANNER_IDLE_MS,
  maxIncidents: env.PLANNER_MAX_INCIDENTS,
  draftBudgetMs: env.PLANNER_DRAFT_BUDGET_MS,
  knownGoodFirst: env.PLANNER_KNOWN_GOOD_FIRST,
  maxQueuedFollowUps: env.PLANNER_MAX_QUEUED_FOLLOW_UPS,
  evidenceSignatures: env.PLANNER_EVIDENCE_SIGNATURES,
}));
export type PlannerSettings = z.output<typeof plannerSettingsSchema>;

export const plannerEnv = defineEnvConfig({ app: 'planner', schema: plannerSettingsSchema });
