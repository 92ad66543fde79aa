import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { topologySyncEnvSchema } from './topology-sync.config';
import { TopologySyncModule } from './topology-sync.module';

export const topologySyncApp = defineVigilApp({
  name: 'topology-sync',
  envSchema: topologySyncEnvSchema,
  start: async (config, logger) => {
    await startVigilService({
      module: TopologySyncModule.forRoot(config, logger),
      logger,
      port: config.TOPOLOGY_SYNC_PORT,
    });
    logger.log({
      msg: 'topology-sync started',
      port: config.TOPOLOGY_SYNC_PORT,
      brokers: config.KAFKA_BROKERS,
    });
  },
});
