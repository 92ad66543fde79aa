import 'reflect-metadata';
import { runVigilApp, startVigilService } from '@vigil/messaging';
import { signalsEnvSchema } from './signals.config';
import { SignalsModule } from './signals.module';

runVigilApp('signals', signalsEnvSchema, async (config, logger) => {
  await startVigilService({
    module: SignalsModule.forRoot(config, logger),
    logger,
    port: config.SIGNALS_PORT,
  });
  logger.log({ msg: 'signals started', port: config.SIGNALS_PORT, group: config.SIGNALS_GROUP });
});
