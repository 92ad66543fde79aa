import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule, graphSettingsFromEnv } from '@vigil/graph';
import { vigilServiceModule } from '@vigil/messaging';
import type { PlannerConfig } from './planner.config';
import { PLANNER_CONFIG, PLANNER_LOGGER, PlannerService } from './planner.service';

@Module({})
export class PlannerModule {
  static forRoot(config: PlannerConfig, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: PlannerModule,
      app: 'planner',
      config,
      logger,
      imports: [GraphModule.forRoot(graphSettingsFromEnv(config))],
      providers: [
        { provide: PLANNER_CONFIG, useValue: config },
        { provide: PLANNER_LOGGER, useValue: logger },
        PlannerService,
      ],
    });
  }
}
