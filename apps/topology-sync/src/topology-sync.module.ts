import { type DynamicModule, Module, type LoggerService } from '@nestjs/common';
import { GraphModule, graphSettingsFromEnv } from '@vigil/graph';
import { kafkaSettingsFromEnv, MessagingModule } from '@vigil/messaging';
import { TelemetryModule } from '@vigil/telemetry';
import type { TopologySyncConfig } from './topology-sync.config';
import { TopologyEventsController } from './topology-events.controller';

@Module({})
export class TopologySyncModule {
  static forRoot(config: TopologySyncConfig, logger: LoggerService): DynamicModule {
    return {
      module: TopologySyncModule,
      imports: [
        TelemetryModule,
        MessagingModule.forRoot(kafkaSettingsFromEnv(config, 'topology-sync'), logger),
        GraphModule.forRoot(graphSettingsFromEnv(config)),
      ],
      controllers: [TopologyEventsController],
    };
  }
}
