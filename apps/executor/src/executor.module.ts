import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule, graphSettingsFromEnv } from '@vigil/graph';
import { kafkaSettingsFromEnv, MessagingModule } from '@vigil/messaging';
import { TelemetryModule } from '@vigil/telemetry';
import type { ExecutorConfig } from './executor.config';
import { EXECUTOR_CONFIG, EXECUTOR_LOGGER, ExecutorService } from './executor.service';

@Module({})
export class ExecutorModule {
  static forRoot(config: ExecutorConfig, logger: LoggerService): DynamicModule {
    return {
      module: ExecutorModule,
      imports: [
        TelemetryModule,
        MessagingModule.forRoot(kafkaSettingsFromEnv(config, 'executor'), logger),
        GraphModule.forRoot(graphSettingsFromEnv(config)),
      ],
      providers: [
        { provide: EXECUTOR_CONFIG, useValue: config },
        { provide: EXECUTOR_LOGGER, useValue: logger },
        ExecutorService,
      ],
    };
  }
}
