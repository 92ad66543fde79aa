import { type DynamicModule, Module, type LoggerService } from '@nestjs/common';
import { GraphModule } from '@vigil/graph';
import { vigilServiceModule } from '@vigil/messaging';
import type { TopologySyncSettings } from './topology-sync.config';
import { ObservedCallsService } from './observed-calls.service';
import { IncidentHistoryService } from './incident-history.service';
import { TopologySyncService } from './topology-sync.service';

@Module({})
export class TopologySyncModule {
  static forRoot(settings: TopologySyncSettings, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: TopologySyncModule,
      settings,
      logger,
      imports: [GraphModule.forRoot(settings.graph)],
      providers: [ObservedCallsService, TopologySyncService, IncidentHistoryService],
    });
  }
}
