import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { kafkaSettingsFromEnv, MessagingModule } from '@vigil/messaging';
import { TelemetryModule } from '@vigil/telemetry';
import type { SignalsConfig } from './signals.config';
import { SIGNALS_CONFIG, SIGNALS_LOGGER, SignalsService } from './signals.service';

@Module({})
export class SignalsModule {
  static forRoot(config: SignalsConfig, logger: LoggerService): DynamicModule {
    return {
      module: SignalsModule,
      imports: [
        TelemetryModule,
        MessagingModule.forRoot(kafkaSettingsFromEnv(config, 'signals'), logger),
      ],
      providers: [
        { provide: SIGNALS_CONFIG, useValue: config },
        { provide: SIGNALS_LOGGER, useValue: logger },
        SignalsService,
      ],
    };
  }
}
