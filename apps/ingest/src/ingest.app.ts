import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { ingestEnvSchema } from './ingest.config';
import { IngestModule } from './ingest.module';

export const ingestApp = defineVigilApp({
  name: 'ingest',
  envSchema: ingestEnvSchema,
  start: async (config, logger) => {
    await startVigilService({
      module: IngestModule.forRoot(config, logger),
      logger,
      port: config.INGEST_PORT,
      host: config.INGEST_HOST,
      // The receivers read bodies themselves: their own limit, 415, and 503 before reading.
      bodyParser: false,
    });
    if (config.INGEST_TOKENS.length === 0) {
      logger.warn({ msg: 'INGEST_ALLOW_ANONYMOUS: alerts are accepted without a token' });
    }
    logger.log({
      msg: 'ingest started',
      port: config.INGEST_PORT,
      host: config.INGEST_HOST,
      brokers: config.KAFKA_BROKERS,
      tokens: config.INGEST_TOKENS.length,
    });
  },
});
