import { type DynamicModule, Module, type LoggerService } from '@nestjs/common';
import { GraphModule, graphSettingsFromEnv } from '@vigil/graph';
import { kafkaSettingsFromEnv, MessagingModule } from '@vigil/messaging';
import { TelemetryModule } from '@vigil/telemetry';
import type { TopologySyncConfig } from './topology-sync.config';
import {
  OBSERVED_CALLS_SETTINGS,
  ObservedCallsService,
  TOPOLOGY_SYNC_LOGGER,
  type ObservedCallsSettings,
} from './observed-calls.service';
import { TOPOLOGY_SYNC_CONFIG, TopologySyncService } from './topology-sync.service';

@Module({})
export class TopologySyncModule {
  static forRoot(config: TopologySyncConfig, logger: LoggerService): DynamicModule {
    const observedCalls: ObservedCallsSettings = {
      flushWindowMs: Math.round(config.TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS * 1000),
    };
    return {
      module: TopologySyncModule,
      imports: [
        TelemetryModule,
        MessagingModule.forRoot(kafkaSettingsFromEnv(config, 'topology-sync'), logger),
        GraphModule.forRoot(graphSettingsFromEnv(config)),
      ],
      providers: [
        { provide: TOPOLOGY_SYNC_CONFIG, useValue: config },
        { provide: OBSERVED_CALLS_SETTINGS, useValue: observedCalls },
        { provide: TOPOLOGY_SYNC_LOGGER, useValue: logger },
        ObservedCallsService,
        TopologySyncService,
      ],
    };
  }
}
