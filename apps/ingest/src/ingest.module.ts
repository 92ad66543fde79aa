import { type DynamicModule, Module, type LoggerService, type Provider } from '@nestjs/common';
import { kafkaSettingsFromEnv, MessagingModule } from '@vigil/messaging';
import { TelemetryModule } from '@vigil/telemetry';
import { AlertIngestion, type Clock, INGEST_CLOCK } from './alert-ingestion.service';
import { AlertReceiversController } from './alert-receivers.controller';
import { BearerTokenGuard } from './bearer-token.guard';
import {
  type IngestConfig,
  INGEST_SETTINGS,
  type IngestSettings,
  ingestSettingsFromConfig,
} from './ingest.config';

/** The HTTP side without Kafka: the unit tests give it a fake EventPublisher. */
export function ingestProviders(
  settings: IngestSettings,
  clock: Clock = () => new Date(),
): Provider[] {
  return [
    { provide: INGEST_SETTINGS, useValue: settings },
    { provide: INGEST_CLOCK, useValue: clock },
    AlertIngestion,
    BearerTokenGuard,
  ];
}

@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig, logger: LoggerService): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        TelemetryModule,
        MessagingModule.forRoot(kafkaSettingsFromEnv(config, 'ingest'), logger),
      ],
      controllers: [AlertReceiversController],
      providers: ingestProviders(ingestSettingsFromConfig(config)),
    };
  }
}
