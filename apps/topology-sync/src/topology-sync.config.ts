import { z } from 'zod';
import { envLogLevel, envPort } from '@vigil/config';
import { neo4jEnvSchema } from '@vigil/graph';
import { kafkaEnvSchema } from '@vigil/messaging';

export const topologySyncEnvSchema = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  TOPOLOGY_SYNC_PORT: envPort(3104),
  TOPOLOGY_SYNC_GROUP: z.string().min(1).default('vigil-topology-sync'),
  LOG_LEVEL: envLogLevel,
});
export type TopologySyncConfig = z.output<typeof topologySyncEnvSchema>;
