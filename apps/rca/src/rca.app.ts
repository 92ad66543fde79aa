import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { rcaEnv } from './rca.config';
import { RcaModule } from './rca.module';

export const rcaApp = defineVigilApp({
  name: 'rca',
  env: rcaEnv,
  start: async (settings, logger) => {
    await startVigilService({
      module: RcaModule.forRoot(settings, logger),
      logger,
      port: settings.port,
    });
    logger.log({ msg: 'rca started', port: settings.port, group: settings.group });
  },
});
