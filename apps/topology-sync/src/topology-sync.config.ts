import { z } from 'zod';
import {
  defineEnvConfig,
  envDurationMs,
  envLogLevel,
  envPort,
  HOUR_MS,
  secondsAlias,
} from '@vigil/config';
import { graphSettingsFromEnv, neo4jEnvSchema } from '@vigil/graph';
import { consumerEnvFields, kafkaEnvSchema, serviceSettingsFromEnv } from '@vigil/messaging';

export const topologySyncEnvSchema = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  TOPOLOGY_SYNC_PORT: envPort(3104).describe('HTTP port (/metrics, /healthz).'),
  ...consumerEnvFields('topology-sync'),
  TOPOLOGY_SYNC_SPAN_FLUSH_MS: envDurationMs(10_000, { min: 100, max: 3_600_000 }).describe(
    'How often at most one CALLS edge is written from observed spans (vigil.spans.v1).',
  ),
  TOPOLOGY_SYNC_HISTORY_GROUP: z
    .string()
    .min(1)
    .default('vigil-history')
    .describe('Kafka consumer group of the incident store writer (incident topics into Neo4j).'),
  HISTORY_RETENTION_MS: envDurationMs(365 * 24 * HOUR_MS, { min: HOUR_MS }).describe(
    'How long the incident store keeps a resolved incident (counted from its resolve); checked hourly.',
  ),
  LOG_LEVEL: envLogLevel,
});

/** What topology-sync runs with: read once from the environment. */
export const topologySyncSettingsSchema = topologySyncEnvSchema.transform((env) => ({
  ...serviceSettingsFromEnv(env, 'topology-sync'),
  group: env.TOPOLOGY_SYNC_GROUP,
  graph: graphSettingsFromEnv(env),
  spanFlushMs: env.TOPOLOGY_SYNC_SPAN_FLUSH_MS,
  history: {
    group: env.TOPOLOGY_SYNC_HISTORY_GROUP,
    retentionMs: env.HISTORY_RETENTION_MS,
  },
}));
export type TopologySyncSettings = z.output<typeof topologySyncSettingsSchema>;

export const topologySyncEnv = defineEnvConfig({
  app: 'topology-sync',
  schema: topologySyncSettingsSchema,
  aliases: [secondsAlias('TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS', 'TOPOLOGY_SYNC_SPAN_FLUSH_MS')],
});
