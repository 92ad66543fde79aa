import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { kafkaSettingsFromEnv, MessagingModule } from '@vigil/messaging';
import { TelemetryModule } from '@vigil/telemetry';
import type { SignalsConfig } from './signals.config';
import { SignalAnalyzer } from '@vigil/rca';
import { LogTemplatesController } from './log-templates.controller';
import { SIGNAL_ANALYZER, SIGNALS_CONFIG, SIGNALS_LOGGER, SignalsService } from './signals.service';

@Module({})
export class SignalsModule {
  static forRoot(config: SignalsConfig, logger: LoggerService): DynamicModule {
    return {
      module: SignalsModule,
      imports: [
        TelemetryModule,
        MessagingModule.forRoot(kafkaSettingsFromEnv(config, 'signals'), logger),
      ],
      controllers: [LogTemplatesController],
      providers: [
        { provide: SIGNALS_CONFIG, useValue: config },
        {
          provide: SIGNAL_ANALYZER,
          useValue: new SignalAnalyzer({ maxSeries: config.SIGNALS_MAX_SERIES }),
        },
        { provide: SIGNALS_LOGGER, useValue: logger },
        SignalsService,
      ],
    };
  }
}
