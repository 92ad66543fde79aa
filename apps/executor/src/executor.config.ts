import { z } from 'zod';
import { envLogLevel, envPort } from '@vigil/config';
import { neo4jEnvSchema } from '@vigil/graph';
import { kafkaEnvSchema } from '@vigil/messaging';

export const executorEnvSchema = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  EXECUTOR_PORT: envPort(3109),
  EXECUTOR_GROUP: z.string().min(1).default('vigil-executor'),
  /** Which environment of the guardrail policy applies here. */
  EXECUTOR_ENVIRONMENT: z.string().min(1).default('production'),
  /** A JSON guardrail policy; default: the built-in one (see README "Guardrails"). */
  EXECUTOR_POLICY_FILE: z.string().min(1).optional(),
  /** JSON: which adapters act on which targets (see adapters-file.ts). Required: no adapter, no action. */
  EXECUTOR_ADAPTERS_FILE: z
    .string({ error: 'must name the JSON file of the executor adapters' })
    .min(1),
  /** How long a verification may poll before it fails. */
  EXECUTOR_VERIFY_DEADLINE_MS: z.coerce.number().int().positive().default(30_000),
  /** A step's "error-rate-below" check passes under this share of failed requests. */
  EXECUTOR_ERROR_RATE_LIMIT: z.coerce.number().min(0).max(1).default(0.05),
  /** A step's "latency-below" check passes under this p99, in milliseconds. */
  EXECUTOR_LATENCY_LIMIT_MS: z.coerce.number().positive().default(1000),
  /**
   * Bearer token of the local-process API (`/api/v1/local-process/...`: instances, deployments):
   * what a delivery pipeline, or the demo's fault injector, calls. Unset: that API is off.
   */
  EXECUTOR_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: envLogLevel,
});
export type ExecutorConfig = z.output<typeof executorEnvSchema>;
