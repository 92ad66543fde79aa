import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule, graphSettingsFromEnv } from '@vigil/graph';
import { kafkaSettingsFromEnv, MessagingModule } from '@vigil/messaging';
import { TelemetryModule } from '@vigil/telemetry';
import type { PlannerConfig } from './planner.config';
import { PLANNER_CONFIG, PLANNER_LOGGER, PlannerService } from './planner.service';

@Module({})
export class PlannerModule {
  static forRoot(config: PlannerConfig, logger: LoggerService): DynamicModule {
    return {
      module: PlannerModule,
      imports: [
        TelemetryModule,
        MessagingModule.forRoot(kafkaSettingsFromEnv(config, 'planner'), logger),
        GraphModule.forRoot(graphSettingsFromEnv(config)),
      ],
      providers: [
        { provide: PLANNER_CONFIG, useValue: config },
        { provide: PLANNER_LOGGER, useValue: logger },
        PlannerService,
      ],
    };
  }
}
