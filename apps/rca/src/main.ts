import 'reflect-metadata';
import { runVigilApp, startVigilService } from '@vigil/messaging';
import { rcaEnvSchema } from './rca.config';
import { RcaModule } from './rca.module';

runVigilApp('rca', rcaEnvSchema, async (config, logger) => {
  await startVigilService({
    module: RcaModule.forRoot(config, logger),
    logger,
    port: config.RCA_PORT,
  });
  logger.log({ msg: 'rca started', port: config.RCA_PORT, group: config.RCA_GROUP });
});
