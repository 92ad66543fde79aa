import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { vigilServiceModule } from '@vigil/messaging';
import { SignalAnalyzer } from '@vigil/rca';
import { LogTemplatesController } from './log-templates.controller';
import { OtlpInService } from './otlp-in.service';
import type { SignalsSettings } from './signals.config';
import { SIGNAL_ANALYZER, SignalsService } from './signals.service';

@Module({})
export class SignalsModule {
  static forRoot(settings: SignalsSettings, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: SignalsModule,
      settings,
      logger,
      controllers: [LogTemplatesController],
      providers: [
        {
          provide: SIGNAL_ANALYZER,
          useValue: new SignalAnalyzer({
            maxSeries: settings.maxSeries,
            log: { warmupMs: settings.logWarmupMs },
          }),
        },
        SignalsService,
        OtlpInService,
      ],
    });
  }
}
