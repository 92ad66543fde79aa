import { z } from 'zod';
import { defineEnvConfig, envDurationMs, envLogLevel, envPort } from '@vigil/config';
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
  LOG_LEVEL: envLogLevel,
});

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
}));
export type ExecutorSettings = z.output<typeof executorSettingsSchema>;

export const executorEnv = defineEnvConfig({ app: 'executor', schema: executorSettingsSchema });
