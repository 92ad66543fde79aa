import { z } from 'zod';
import { envLogLevel, envPort } from '@vigil/config';
import { defaultCorrelationConfig, type CorrelationConfig } from '@vigil/correlation';
import { neo4jEnvSchema } from '@vigil/graph';
import { kafkaEnvSchema } from '@vigil/messaging';

const minutes = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number of minutes' })
    .positive('must be above 0')
    .default(fallback);
const similarity = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a cosine similarity between 0 and 1' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .default(fallback);
const labelList = (fallback: string[]) =>
  z
    .string()
    .default(fallback.join(','))
    .transform((value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );

export const correlatorEnvSchema = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  CORRELATOR_PORT: envPort(3102),
  CORRELATOR_GROUP: z.string().min(1).default('vigil-correlator'),
  CORRELATION_WINDOW_MINUTES: minutes(defaultCorrelationConfig.windowMs / 60_000),
  /** How long after it resolved an incident reopens for its alerts firing again (flapping). */
  CORRELATION_REOPEN_MINUTES: minutes(defaultCorrelationConfig.reopenWindowMs / 60_000),
  CORRELATION_RELATED_GAP_MINUTES: minutes(defaultCorrelationConfig.relatedStartGapMs / 60_000),
  CORRELATION_TEXT_THRESHOLD: similarity(defaultCorrelationConfig.textSimilarityThreshold),
  CORRELATION_SAME_ENTITY_THRESHOLD: similarity(defaultCorrelationConfig.sameEntityTextThreshold),
  CORRELATION_MAX_HOPS: z.coerce
    .number()
    .int()
    .min(0)
    .max(6, 'must be from 0 to 6')
    .default(defaultCorrelationConfig.dependencyMaxHops),
  CORRELATION_SCOPE_LABELS: labelList(defaultCorrelationConfig.scopeLabels),
  CORRELATION_HOST_LABELS: labelList(defaultCorrelationConfig.hostLabels),
  CORRELATOR_SNAPSHOT_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  CORRELATOR_TOPOLOGY_REFRESH_MS: z.coerce.number().int().min(1000).default(30_000),
  /** A CALLS edge known only from spans is dropped this long after its last observed call. */
  CORRELATOR_OBSERVED_EDGE_MAX_AGE_MINUTES: minutes(24 * 60),
  /** Where a new consumer group starts: `earliest` replays the topic, `latest` takes only new alerts. */
  CORRELATOR_START_AT: z
    .enum(['earliest', 'latest'], { error: 'must be earliest or latest' })
    .default('earliest'),
  VIGIL_MODELS_DIR: z.string().optional(),
  LOG_LEVEL: envLogLevel,
});
export type CorrelatorConfig = z.output<typeof correlatorEnvSchema>;

export function correlationSettings(config: CorrelatorConfig): CorrelationConfig {
  return {
    ...defaultCorrelationConfig,
    windowMs: config.CORRELATION_WINDOW_MINUTES * 60_000,
    reopenWindowMs: config.CORRELATION_REOPEN_MINUTES * 60_000,
    relatedStartGapMs: config.CORRELATION_RELATED_GAP_MINUTES * 60_000,
    textSimilarityThreshold: config.CORRELATION_TEXT_THRESHOLD,
    sameEntityTextThreshold: config.CORRELATION_SAME_ENTITY_THRESHOLD,
    dependencyMaxHops: config.CORRELATION_MAX_HOPS,
    scopeLabels: config.CORRELATION_SCOPE_LABELS,
    hostLabels: config.CORRELATION_HOST_LABELS,
  };
}
