import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { rulerEnv } from './ruler.config';
import { RulerModule } from './ruler.module';

export const rulerApp = defineVigilApp({
  name: 'ruler',
  env: rulerEnv,
  start: async (settings, logger) => {
    await startVigilService({
      module: RulerModule.forRoot(settings, logger),
      logger,
      port: settings.port,
    });
    logger.log({ msg: 'ruler started', port: settings.port, rules: settings.rules });
  },
});
