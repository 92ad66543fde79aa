import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { ingestEnv } from './ingest.config';
import { IngestModule } from './ingest.module';

export const ingestApp = defineVigilApp({
  name: 'ingest',
  env: ingestEnv,
  start: async (settings, logger) => {
    await startVigilService({
      module: IngestModule.forRoot(settings, logger),
      logger,
      port: settings.port,
      host: settings.host,
      // The receivers read bodies themselves: their own limit, 415, and 503 before reading.
      bodyParser: false,
    });
    if (settings.tokens.length === 0) {
      logger.warn({ msg: 'INGEST_ALLOW_ANONYMOUS: alerts are accepted without a token' });
    }
    logger.log({
      msg: 'ingest started',
      port: settings.port,
      host: settings.host,
      brokers: settings.kafka.brokers,
      tokens: settings.tokens.length,
    });
  },
});
