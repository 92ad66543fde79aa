import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule, graphSettingsFromEnv } from '@vigil/graph';
import { vigilServiceModule } from '@vigil/messaging';
import type { RcaConfig } from './rca.config';
import { RCA_CONFIG, RCA_LOGGER, RcaService } from './rca.service';

@Module({})
export class RcaModule {
  static forRoot(config: RcaConfig, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: RcaModule,
      app: 'rca',
      config,
      logger,
      imports: [GraphModule.forRoot(graphSettingsFromEnv(config))],
      providers: [
        { provide: RCA_CONFIG, useValue: config },
        { provide: RCA_LOGGER, useValue: logger },
        RcaService,
      ],
    });
  }
}
