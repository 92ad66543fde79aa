import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule, graphSettingsFromEnv } from '@vigil/graph';
import { vigilServiceModule } from '@vigil/messaging';
import type { ExecutorConfig } from './executor.config';
import { EXECUTOR_CONFIG, EXECUTOR_LOGGER, ExecutorService } from './executor.service';
import { LocalProcessController } from './local-process.controller';

@Module({})
export class ExecutorModule {
  static forRoot(config: ExecutorConfig, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: ExecutorModule,
      app: 'executor',
      config,
      logger,
      imports: [GraphModule.forRoot(graphSettingsFromEnv(config))],
      controllers: [LocalProcessController],
      providers: [
        { provide: EXECUTOR_CONFIG, useValue: config },
        { provide: EXECUTOR_LOGGER, useValue: logger },
        ExecutorService,
      ],
    });
  }
}
