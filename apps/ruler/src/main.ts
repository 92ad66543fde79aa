import 'reflect-metadata';
import { runVigilApp, startVigilService } from '@vigil/messaging';
import { rulerEnvSchema } from './ruler.config';
import { RulerModule } from './ruler.module';

runVigilApp('ruler', rulerEnvSchema, async (config, logger) => {
  await startVigilService({
    module: RulerModule.forRoot(config, logger),
    logger,
    port: config.RULER_PORT,
  });
  logger.log({ msg: 'ruler started', port: config.RULER_PORT, rules: config.RULER_RULES });
});
