import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { vigilServiceModule } from '@vigil/messaging';
import { SignalAnalyzer } from '@vigil/rca';
import { LogTemplatesController } from './log-templates.controller';
import type { SignalsConfig } from './signals.config';
import { SIGNAL_ANALYZER, SIGNALS_CONFIG, SIGNALS_LOGGER, SignalsService } from './signals.service';

@Module({})
export class SignalsModule {
  static forRoot(config: SignalsConfig, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: SignalsModule,
      app: 'signals',
      config,
      logger,
      controllers: [LogTemplatesController],
      providers: [
        { provide: SIGNALS_CONFIG, useValue: config },
        { provide: SIGNALS_LOGGER, useValue: logger },
        {
          provide: SIGNAL_ANALYZER,
          useValue: new SignalAnalyzer({
            maxSeries: config.SIGNALS_MAX_SERIES,
            log: { warmupMs: config.SIGNALS_LOG_WARMUP_SECONDS * 1000 },
          }),
        },
        SignalsService,
      ],
    });
  }
}
