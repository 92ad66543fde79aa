import { type DynamicModule, Module, type LoggerService, type Provider } from '@nestjs/common';
import { vigilServiceModule } from '@vigil/messaging';
import { AlertIngestion, type Clock, INGEST_CLOCK } from './alert-ingestion.service';
import { AlertReceiversController } from './alert-receivers.controller';
import { BearerTokenGuard } from './bearer-token.guard';
import type { IngestAppSettings } from './ingest.config';

/** The HTTP side without Kafka or settings: the unit tests give it a fake EventPublisher. */
export function ingestProviders(clock: Clock = () => new Date()): Provider[] {
  return [{ provide: INGEST_CLOCK, useValue: clock }, AlertIngestion, BearerTokenGuard];
}

@Module({})
export class IngestModule {
  static forRoot(settings: IngestAppSettings, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: IngestModule,
      settings,
      logger,
      controllers: [AlertReceiversController],
      providers: ingestProviders(),
    });
  }
}
