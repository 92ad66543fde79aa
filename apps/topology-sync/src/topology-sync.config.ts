import { z } from 'zod';
import { envLogLevel, envPort } from '@vigil/config';
import { neo4jEnvSchema } from '@vigil/graph';
import { kafkaEnvSchema } from '@vigil/messaging';

const flushSecondsMessage = 'must be a number of seconds from 0.1 to 3600';

export const topologySyncEnvSchema = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  TOPOLOGY_SYNC_PORT: envPort(3104),
  TOPOLOGY_SYNC_GROUP: z.string().min(1).default('vigil-topology-sync'),
  /** How often at most one CALLS edge is written from observed spans (vigil.spans.v1). */
  TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS: z.coerce
    .number({ error: flushSecondsMessage })
    .min(0.1, flushSecondsMessage)
    .max(3600, flushSecondsMessage)
    .default(10),
  LOG_LEVEL: envLogLevel,
});
export type TopologySyncConfig = z.output<typeof topologySyncEnvSchema>;
