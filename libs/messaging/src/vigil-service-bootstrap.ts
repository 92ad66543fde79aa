import { type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, type EnvConfig, loadEnvConfig } from '@vigil/config';
import { JsonLogger, startTelemetry, type LogLevelName } from '@vigil/telemetry';
import type { z } from 'zod';

export interface VigilServiceOptions {
  /** The root module; it must import MessagingModule.forRoot. */
  module: unknown;
  logger: LoggerService;
  port: number;
  host?: string;
  /**
   * false for an app that reads request bodies itself (its own size limit, media type check, or
   * refusing before the body is read); Nest's default parser takes JSON bodies up to 100 kB.
   */
  bodyParser?: boolean;
  /** Last wiring before the port opens (static files, trusted proxies, ...). */
  beforeListen?: (app: INestApplication) => void;
}

/**
 * Starts a Vigil app: HTTP (/metrics, /healthz and its own routes); its Kafka consumers start in
 * their services' onApplicationBootstrap (libs/messaging/CONSUMING.md).
 */
export async function startVigilService(options: VigilServiceOptions): Promise<INestApplication> {
  const app = await NestFactory.create(options.module as never, {
    logger: options.logger,
    bufferLogs: false,
    bodyParser: options.bodyParser ?? true,
  });
  app.enableShutdownHooks();
  options.beforeListen?.(app);
  await app.listen(options.port, options.host ?? '127.0.0.1');
  return app;
}

type LogLevelConfig = { logLevel: LogLevelName };

/** A Vigil app as data: its name, what it reads from the environment, and how it starts. */
export interface VigilApp<S extends z.ZodType<LogLevelConfig>> {
  name: string;
  /** The schema that turns the environment into the app's typed settings, and old names. */
  env: EnvConfig<S>;
  start: (settings: z.output<S>, logger: JsonLogger) => Promise<void>;
}

/** For the type inference only: `start` gets the settings its schema gives. */
export function defineVigilApp<S extends z.ZodType<LogLevelConfig>>(app: VigilApp<S>): VigilApp<S> {
  return app;
}

/**
 * The `main` of every Vigil app: telemetry first, then the configuration checked once (a wrong
 * variable ends the process with a message that names it, no stack trace), then `start`.
 */
export function runVigilApp<S extends z.ZodType<LogLevelConfig>>(app: VigilApp<S>): void {
  runVigilApps(app.name, [app]);
}

/**
 * Several apps in one process (apps/all-in-one): one telemetry SDK, each app's configuration
 * checked before any starts, then each started in turn on its own port.
 */
export function runVigilApps(
  processName: string,
  apps: ReadonlyArray<VigilApp<z.ZodType<LogLevelConfig>>>,
): void {
  startTelemetry(processName);
  const run = async () => {
    // the logger needs the settings' log level: deprecation warnings wait for it
    const warnings = apps.map(() => [] as string[]);
    const configs = apps.map((app, i) =>
      loadEnvConfig(app.env, process.env, (message) => warnings[i].push(message)),
    );
    for (const [i, app] of apps.entries()) {
      const settings = configs[i] as LogLevelConfig;
      const logger = new JsonLogger(app.name, settings.logLevel);
      for (const message of warnings[i]) logger.warn({ msg: message });
      await app.start(settings, logger);
    }
  };
  run().catch((error: unknown) => {
    const text =
      error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error));
    process.stderr.write(`${text}\n`);
    process.exit(1);
  });
}
