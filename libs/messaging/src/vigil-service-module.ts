import type { DynamicModule, LoggerService, Provider, Type } from '@nestjs/common';
import type { z } from 'zod';
import { TelemetryModule } from '@vigil/telemetry';
import { kafkaSettingsFromEnv, type kafkaEnvSchema } from './kafka-settings';
import { MessagingModule } from './messaging.module';

export interface VigilServiceModuleOptions {
  module: Type;
  /** Kafka client id and the name in logs. */
  app: string;
  config: z.output<typeof kafkaEnvSchema>;
  logger: LoggerService;
  /** What the app needs besides telemetry and Kafka (Neo4j, ...). */
  imports?: DynamicModule[];
  providers: Provider[];
  controllers?: Type[];
}

/** The module every Vigil service starts from: telemetry, Kafka, then what the app adds. */
export function vigilServiceModule(options: VigilServiceModuleOptions): DynamicModule {
  return {
    module: options.module,
    imports: [
      TelemetryModule,
      MessagingModule.forRoot(kafkaSettingsFromEnv(options.config, options.app), options.logger),
      ...(options.imports ?? []),
    ],
    controllers: options.controllers ?? [],
    providers: options.providers,
  };
}
