import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { topologySyncEnv } from './topology-sync.config';
import { TopologySyncModule } from './topology-sync.module';

export const topologySyncApp = defineVigilApp({
  name: 'topology-sync',
  env: topologySyncEnv,
  start: async (settings, logger) => {
    await startVigilService({
      module: TopologySyncModule.forRoot(settings, logger),
      logger,
      port: settings.port,
    });
    logger.log({
      msg: 'topology-sync started',
      port: settings.port,
      brokers: settings.kafka.brokers,
    });
  },
});
