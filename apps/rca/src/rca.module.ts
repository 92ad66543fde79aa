import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule } from '@vigil/graph';
import { vigilServiceModule } from '@vigil/messaging';
import type { RcaSettings } from './rca.config';
import { RcaService } from './rca.service';

@Module({})
export class RcaModule {
  static forRoot(settings: RcaSettings, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: RcaModule,
      settings,
      logger,
      imports: [GraphModule.forRoot(settings.graph)],
      providers: [RcaService],
    });
  }
}
