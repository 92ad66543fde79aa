import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { vigilServiceModule } from '@vigil/messaging';
import type { NotifierSettings } from './notifier.config';
import { NotifierService } from './notifier.service';

@Module({})
export class NotifierModule {
  static forRoot(settings: NotifierSettings, logger: LoggerService): DynamicModule {
    return vigilServiceModule({
      module: NotifierModule,
      settings,
      logger,
      providers: [NotifierService],
    });
  }
}
