import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule } from '@vigil/graph';
import { vigilServiceModule } from '@vigil/messaging';
import type { CorrelatorSettings } from './correlator.config';
import { CorrelatorService } from './correlator.service';

@Module({})
export class CorrelatorModule {
  static forRoot(settings: CorrelatorSettings, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: CorrelatorModule,
      settings,
      logger,
      imports: [GraphModule.forRoot(settings.graph)],
      providers: [CorrelatorService],
    });
  }
}
