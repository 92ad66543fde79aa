import { z } from 'zod';
import { envPrefix, type EnvPrefix, type envLogLevel, type OwnEnv } from '@vigil/config';
import { type kafkaEnvSchema, type KafkaSettings, kafkaSettingsFromEnv } from './kafka-settings';

const envGroup = (group: string) =>
  z.string().min(1).default(group).describe('Kafka consumer group.');

/** `latest` says what the app does with a new group that starts at the end, e.g. "learns from now on". */
const envStartAt = (latest: string) =>
  z
    .enum(['earliest', 'latest'], { error: 'must be earliest or latest' })
    .default('latest')
    .describe(`Where a new consumer group starts: latest ${latest}, earliest replays.`);

type GroupFields<App extends string> = {
  [K in `${EnvPrefix<App>}_GROUP`]: ReturnType<typeof envGroup>;
};
type StartAtFields<App extends string> = {
  [K in `${EnvPrefix<App>}_START_AT`]: ReturnType<typeof envStartAt>;
};

/**
 * `<APP>_GROUP` (default `vigil-<app>`) and, given what `latest` means for the app,
 * `<APP>_START_AT`: the fields of an app that consumes in its own group, for its env schema.
 */
export function consumerEnvFields<App extends string>(app: App): GroupFields<App>;
export function consumerEnvFields<App extends string>(
  app: App,
  latest: string,
): GroupFields<App> & StartAtFields<App>;
export function consumerEnvFields(app: string, latest?: string): Record<string, z.ZodType> {
  const prefix = envPrefix(app);
  const group = { [`${prefix}_GROUP`]: envGroup(`vigil-${app}`) };
  return latest === undefined ? group : { ...group, [`${prefix}_START_AT`]: envStartAt(latest) };
}

type LogLevel = z.output<typeof envLogLevel>;
type StartAt = 'earliest' | 'latest';

/** What the settings of every Kafka app with an HTTP port (`<APP>_PORT`) start with. */
export function serviceSettingsFromEnv<App extends string>(
  env: z.output<typeof kafkaEnvSchema> & { LOG_LEVEL: LogLevel } & OwnEnv<App, 'PORT', number>,
  app: App,
): { logLevel: LogLevel; kafka: KafkaSettings; port: number } {
  const own: OwnEnv<App, 'PORT', number> = env;
  const port = own[`${envPrefix(app)}_PORT`];
  return { logLevel: env.LOG_LEVEL, kafka: kafkaSettingsFromEnv(env, app), port };
}

/** The settings `ServiceConsumers` reads, from the fields `consumerEnvFields(app, latest)` adds. */
export function consumerSettingsFromEnv<App extends string>(
  env: OwnEnv<App, 'GROUP', string> & OwnEnv<App, 'START_AT', StartAt>,
  app: App,
): { group: string; startAt: StartAt } {
  const prefix = envPrefix(app);
  const group: OwnEnv<App, 'GROUP', string> = env;
  const startAt: OwnEnv<App, 'START_AT', StartAt> = env;
  return { group: group[`${prefix}_GROUP`], startAt: startAt[`${prefix}_START_AT`] };
}
