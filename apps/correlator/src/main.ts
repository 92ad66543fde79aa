import 'reflect-metadata';
import { ConfigError, loadConfig } from '@vigil/config';
import { startVigilService } from '@vigil/messaging';
import { JsonLogger, startTelemetry } from '@vigil/telemetry';
import { correlatorEnvSchema } from './correlator.config';
import { CorrelatorModule } from './correlator.module';

async function main(): Promise<void> {
  startTelemetry('correlator');
  const config = loadConfig('correlator', correlatorEnvSchema);
  const logger = new JsonLogger('correlator', config.LOG_LEVEL);
  await startVigilService({
    module: CorrelatorModule.forRoot(config, logger),
    logger,
    port: config.CORRELATOR_PORT,
  });
  logger.log({
    msg: 'correlator started',
    port: config.CORRELATOR_PORT,
    group: config.CORRELATOR_GROUP,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`,
  );
  process.exit(1);
});
