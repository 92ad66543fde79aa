import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule, graphSettingsFromEnv } from '@vigil/graph';
import { vigilServiceModule } from '@vigil/messaging';
import type { CorrelatorConfig } from './correlator.config';
import { CORRELATOR_CONFIG, CORRELATOR_LOGGER, CorrelatorService } from './correlator.service';

@Module({})
export class CorrelatorModule {
  static forRoot(config: CorrelatorConfig, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: CorrelatorModule,
      app: 'correlator',
      config,
      logger,
      imports: [GraphModule.forRoot(graphSettingsFromEnv(config))],
      providers: [
        { provide: CORRELATOR_CONFIG, useValue: config },
        { provide: CORRELATOR_LOGGER, useValue: logger },
        CorrelatorService,
      ],
    });
  }
}
