import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { vigilServiceModule } from '@vigil/messaging';
import type { RulerConfig } from './ruler.config';
import { RULER_CONFIG, RULER_LOGGER, RulerService } from './ruler.service';

@Module({})
export class RulerModule {
  static forRoot(config: RulerConfig, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: RulerModule,
      app: 'ruler',
      config,
      logger,
      providers: [
        { provide: RULER_CONFIG, useValue: config },
        { provide: RULER_LOGGER, useValue: logger },
        RulerService,
      ],
    });
  }
}
