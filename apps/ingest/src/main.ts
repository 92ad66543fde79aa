import 'reflect-metadata';
import { startTelemetry, JsonLogger } from '@vigil/telemetry';
import { ConfigError, loadConfig } from '@vigil/config';
import { startVigilService } from '@vigil/messaging';
import { ingestEnvSchema } from './ingest.config';
import { IngestModule } from './ingest.module';

async function main(): Promise<void> {
  startTelemetry('ingest');
  const config = loadConfig('ingest', ingestEnvSchema);
  const logger = new JsonLogger('ingest', config.LOG_LEVEL);
  await startVigilService({
    module: IngestModule.forRoot(config, logger),
    logger,
    port: config.INGEST_PORT,
    host: config.INGEST_HOST,
    // The receivers read bodies themselves: their own limit, 415, and 503 before reading.
    bodyParser: false,
  });
  const anonymous = config.INGEST_TOKENS.length === 0;
  if (anonymous)
    logger.warn({ msg: 'INGEST_ALLOW_ANONYMOUS: alerts are accepted without a token' });
  logger.log({
    msg: 'ingest started',
    port: config.INGEST_PORT,
    host: config.INGEST_HOST,
    brokers: config.KAFKA_BROKERS,
    tokens: config.INGEST_TOKENS.length,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`,
  );
  process.exit(1);
});
