import { z } from 'zod';
import { defineEnvConfig, envDurationMs, envLogLevel, envPort, secondsAlias } from '@vigil/config';
import { graphSettingsFromEnv, neo4jEnvSchema } from '@vigil/graph';
import { consumerEnvFields, kafkaEnvSchema, serviceSettingsFromEnv } from '@vigil/messaging';

export const topologySyncEnvSchema = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  TOPOLOGY_SYNC_PORT: envPort(3104).describe('HTTP port (/metrics, /healthz).'),
  ...consumerEnvFields('topology-sync'),
  TOPOLOGY_SYNC_SPAN_FLUSH_MS: envDurationMs(10_000, { min: 100, max: 3_600_000 }).describe(
    'How often at most one CALLS edge is written from observed spans (vigil.spans.v1).',
  ),
  LOG_LEVEL: envLogLevel,
});

/** What topology-sync runs with: read once from the environment. */
export const topologySyncSettingsSchema = topologySyncEnvSchema.transform((env) => ({
  ...serviceSettingsFromEnv(env, 'topology-sync'),
  group: env.TOPOLOGY_SYNC_GROUP,
  graph: graphSettingsFromEnv(env),
  spanFlushMs: env.TOPOLOGY_SYNC_SPAN_FLUSH_MS,
}));
export type TopologySyncSettings = z.output<typeof topologySyncSettingsSchema>;

export const topologySyncEnv = defineEnvConfig({
  app: 'topology-sync',
  schema: topologySyncSettingsSchema,
  aliases: [secondsAlias('TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS', 'TOPOLOGY_SYNC_SPAN_FLUSH_MS')],
});
