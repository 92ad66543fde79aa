import 'reflect-metadata';
import { startTelemetry, JsonLogger } from '@vigil/telemetry';
import { ConfigError, loadConfig } from '@vigil/config';
import { startVigilService } from '@vigil/messaging';
import { topologySyncEnvSchema } from './topology-sync.config';
import { TopologySyncModule } from './topology-sync.module';

async function main(): Promise<void> {
  startTelemetry('topology-sync');
  const config = loadConfig('topology-sync', topologySyncEnvSchema);
  const logger = new JsonLogger('topology-sync', config.LOG_LEVEL);
  await startVigilService({
    module: TopologySyncModule.forRoot(config, logger),
    logger,
    port: config.TOPOLOGY_SYNC_PORT,
    consumerGroup: config.TOPOLOGY_SYNC_GROUP,
  });
  logger.log({
    msg: 'topology-sync started',
    port: config.TOPOLOGY_SYNC_PORT,
    brokers: config.KAFKA_BROKERS,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`,
  );
  process.exit(1);
});
