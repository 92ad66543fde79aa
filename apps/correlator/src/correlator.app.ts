import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { correlatorEnv } from './correlator.config';
import { CorrelatorModule } from './correlator.module';

export const correlatorApp = defineVigilApp({
  name: 'correlator',
  env: correlatorEnv,
  start: async (settings, logger) => {
    await startVigilService({
      module: CorrelatorModule.forRoot(settings, logger),
      logger,
      port: settings.port,
    });
    logger.log({ msg: 'correlator started', port: settings.port, group: settings.group });
  },
});
