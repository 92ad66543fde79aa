import type { DynamicModule, LoggerService, Provider, Type } from '@nestjs/common';
import { TelemetryModule } from '@vigil/telemetry';
import type { Kafka } from 'kafkajs';
import { EventPublisher } from './event-publisher';
import type { KafkaSettings } from './kafka-settings';
import { KAFKA, MessagingModule } from './messaging.module';
import { type ConsumerSettings, ServiceConsumers } from './service-consumers';

/** Every app's typed settings (its config module's output), injected with this token. */
export const VIGIL_SETTINGS = Symbol('VIGIL_SETTINGS');
/** Every app's logger, injected with this token. */
export const VIGIL_LOGGER = Symbol('VIGIL_LOGGER');

export interface VigilServiceModuleOptions {
  module: Type;
  /** The app's settings: provided as VIGIL_SETTINGS; `kafka` set means the app uses Kafka. */
  settings: { kafka?: KafkaSettings; [setting: string]: unknown } & ConsumerSettings;
  /** Provided as VIGIL_LOGGER. */
  logger: LoggerService;
  /** What the app needs besides telemetry and Kafka (Neo4j, ...). */
  imports?: DynamicModule[];
  providers: Provider[];
  controllers?: Type[];
}

/**
 * The module every Vigil service starts from: telemetry, Kafka (and ServiceConsumers) when the
 * settings name brokers, the settings and the logger under one token each, then what the app adds.
 */
export function vigilServiceModule(options: VigilServiceModuleOptions): DynamicModule {
  const kafka = options.settings.kafka;
  const consumers: Provider = {
    provide: ServiceConsumers,
    useFactory: (client: Kafka, publisher: EventPublisher) =>
      new ServiceConsumers(client, publisher, options.logger, options.settings),
    inject: [KAFKA, EventPublisher],
  };
  return {
    module: options.module,
    imports: [
      TelemetryModule,
      ...(kafka ? [MessagingModule.forRoot(kafka, options.logger)] : []),
      ...(options.imports ?? []),
    ],
    controllers: options.controllers ?? [],
    providers: [
      { provide: VIGIL_SETTINGS, useValue: options.settings },
      { provide: VIGIL_LOGGER, useValue: options.logger },
      ...(kafka ? [consumers] : []),
      ...options.providers,
    ],
  };
}
