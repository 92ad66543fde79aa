import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { vigilServiceModule } from '@vigil/messaging';
import type { RulerSettings } from './ruler.config';
import { RulerService } from './ruler.service';

@Module({})
export class RulerModule {
  static forRoot(settings: RulerSettings, logger: LoggerService): DynamicModule {
    return vigilServiceModule({ module: RulerModule, settings, logger, providers: [RulerService] });
  }
}
