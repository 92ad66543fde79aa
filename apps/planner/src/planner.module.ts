import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule } from '@vigil/graph';
import { vigilServiceModule } from '@vigil/messaging';
import type { PlannerSettings } from './planner.config';
import { PlannerService } from './planner.service';

@Module({})
export class PlannerModule {
  static forRoot(settings: PlannerSettings, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: PlannerModule,
      settings,
      logger,
      imports: [GraphModule.forRoot(settings.graph)],
      providers: [PlannerService],
    });
  }
}
