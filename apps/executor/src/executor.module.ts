import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule } from '@vigil/graph';
import { vigilServiceModule } from '@vigil/messaging';
import type { ExecutorSettings } from './executor.config';
import { ExecutorService } from './executor.service';
import { LocalProcessController } from './local-process.controller';

@Module({})
export class ExecutorModule {
  static forRoot(settings: ExecutorSettings, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: ExecutorModule,
      settings,
      logger,
      imports: [GraphModule.forRoot(settings.graph)],
      controllers: [LocalProcessController],
      providers: [ExecutorService],
    });
  }
}
