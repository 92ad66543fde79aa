import { z } from 'zod';
import {
  defineEnvConfig,
  envBoolean,
  envDurationMs,
  envLogLevel,
  envPort,
  HOUR_MS,
} from '@vigil/config';
import { graphSettingsFromEnv, neo4jEnvSchema } from '@vigil/graph';
import { kafkaEnvSchema, kafkaSettingsFromEnv } from '@vigil/messaging';

export const executorEnvSchema = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  EXECUTOR_PORT: envPort(3109).describe('HTTP port (/metrics, /healthz, local-process API).'),
  EXECUTOR_GROUP: z.string().min(1).default('vigil-executor').describe('Kafka consumer group.'),
  EXECUTOR_ENVIRONMENT: z
    .string()
    .min(1)
    .default('production')
    .describe('Which environment of the guardrail policy applies here.'),
  EXECUTOR_POLICY_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('A JSON guardrail policy; unset: the built-in one (README "Guardrails").'),
  EXECUTOR_ADAPTERS_FILE: z
    .string({ error: 'must name the JSON file of the executor adapters' })
    .min(1)
    .describe(
      'JSON: which adapters act on which targets (adapters-file.ts); no adapter, no action.',
    ),
  EXECUTOR_VERIFY_DEADLINE_MS: envDurationMs(30_000, { min: 1 }).describe(
    'How long a verification may poll before it fails.',
  ),
  EXECUTOR_ERROR_RATE_LIMIT: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .describe('A step\'s "error-rate-below" check passes under this share of failed requests.'),
  EXECUTOR_LATENCY_LIMIT_MS: z.coerce
    .number()
    .positive()
    .default(1000)
    .meta({ unit: 'ms' })
    .describe('A step\'s "latency-below" check passes under this p99.'),
  EXECUTOR_ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe(
      "Bearer token of the local-process API (/api/v1/local-process/...): what a delivery pipeline, or the demo's fault injector, calls; unset: that API is off.",
    ),
  EXECUTOR_DECISION_KEYS: z
    .string()
    .default('')
    .transform((value, ctx) => decisionKeyFiles(value, ctx))
    .describe(
      'The Ed25519 public keys that sign decisions, as KEY_ID=PEM_FILE,... (e.g. console=.vigil/secrets/console-decision-key.pub.pem,chatops=.vigil/secrets/chatops-decision-key.pub.pem). Set (production): only decisions signed by one of them over the content of the plan the executor holds count. Empty (local development): unsigned decisions are accepted, with a warning in the log.',
    ),
  EXECUTOR_LEDGER_DIR: z
    .string()
    .min(1)
    .default('.vigil/executor-ledger')
    .describe(
      'Folder of the idempotency ledgers (one JSON-lines file per consumer group and adapter, e.g. vigil-executor.webhook.jsonl: the keys of the steps applied, with their results), so a step re-sent after a restart is not applied twice. A local-process adapter with its own stateFile keeps that file.',
    ),
  EXECUTOR_CONFIG_WATCH_INTERVAL_MS: envDurationMs(5_000, { min: 100 }).describe(
    'How often the config versions of the services the executor runs are read, to tell a change.',
  ),
  EXECUTOR_STALLED_RETRY_MS: envDurationMs(5_000, { min: 1 }).describe(
    'A plan whose drive failed with an error (Kafka, an adapter or Neo4j unreachable) is driven again after this wait, doubled after each failure in a row up to 5 minutes.',
  ),
  EXECUTOR_PLAN_RETAIN_MS: envDurationMs(24 * HOUR_MS, { min: 1 }).describe(
    "How long a plan that ended stays in the executor's memory (its plan, decisions and audit trail). Never less than the guardrails' longest window (rate limits, settling, plan expiry), which is used instead when it is longer.",
  ),
  EXECUTOR_LEASE: envBoolean(true).describe(
    'One active executor per environment: every instance joins the lease group (EXECUTOR_GROUP.lease) on vigil.service-leases.v1, the one holding its single partition runs plans, the others stand by and take over when it stops or goes silent. false: this instance runs plans without asking (a single instance you supervise yourself).',
  ),
  EXECUTOR_LEASE_SESSION_TIMEOUT_MS: envDurationMs(10_000, { min: 1_000 }).describe(
    'How long an active executor may go silent (crashed, stalled, cut off) before a standby takes over its lease.',
  ),
  LOG_LEVEL: envLogLevel,
});

/** `console=a.pem,chatops=b.pem` as key ids and files; a malformed entry is a settings error. */
function decisionKeyFiles(
  value: string,
  ctx: z.RefinementCtx,
): Array<{ keyId: string; file: string }> {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  const keys: Array<{ keyId: string; file: string }> = [];
  for (const entry of entries) {
    const match = /^([A-Za-z0-9._-]+)=(.+)$/.exec(entry);
    if (match?.[1] && match[2]) keys.push({ keyId: match[1], file: match[2].trim() });
    else ctx.addIssue({ code: 'custom', message: `"${entry}" is not KEY_ID=PEM_FILE` });
  }
  return keys;
}

/** What the executor runs with: read once from the environment. */
export const executorSettingsSchema = executorEnvSchema.transform((env) => ({
  logLevel: env.LOG_LEVEL,
  kafka: kafkaSettingsFromEnv(env, 'executor'),
  graph: graphSettingsFromEnv(env),
  port: env.EXECUTOR_PORT,
  group: env.EXECUTOR_GROUP,
  environment: env.EXECUTOR_ENVIRONMENT,
  policyFile: env.EXECUTOR_POLICY_FILE,
  adaptersFile: env.EXECUTOR_ADAPTERS_FILE,
  verifyDeadlineMs: env.EXECUTOR_VERIFY_DEADLINE_MS,
  errorRateLimit: env.EXECUTOR_ERROR_RATE_LIMIT,
  latencyLimitMs: env.EXECUTOR_LATENCY_LIMIT_MS,
  adminToken: env.EXECUTOR_ADMIN_TOKEN,
  decisionKeys: env.EXECUTOR_DECISION_KEYS,
  ledgerDir: env.EXECUTOR_LEDGER_DIR,
  planRetainMs: env.EXECUTOR_PLAN_RETAIN_MS,
  stalledRetryMs: env.EXECUTOR_STALLED_RETRY_MS,
  configWatchIntervalMs: env.EXECUTOR_CONFIG_WATCH_INTERVAL_MS,
  lease: env.EXECUTOR_LEASE,
  leaseSessionTimeoutMs: env.EXECUTOR_LEASE_SESSION_TIMEOUT_MS,
}));
export type ExecutorSettings = z.output<typeof executorSettingsSchema>;

export const executorEnv = defineEnvConfig({ app: 'executor', schema: executorSettingsSchema });
