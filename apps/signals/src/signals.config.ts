import { z } from 'zod';
import {
  defineEnvConfig,
  envDurationMs,
  envLogLevel,
  envPort,
  MINUTE_MS,
  secondsAlias,
} from '@vigil/config';
import {
  consumerEnvFields,
  consumerSettingsFromEnv,
  kafkaEnvSchema,
  serviceSettingsFromEnv,
} from '@vigil/messaging';

export const signalsEnvSchema = kafkaEnvSchema.extend({
  SIGNALS_PORT: envPort(3106).describe('HTTP port (/metrics, /healthz, log templates).'),
  ...consumerEnvFields('signals', 'learns from now on'),
  SIGNALS_MAX_SERIES: z.coerce
    .number({ error: 'must be a whole number of series' })
    .int('must be a whole number of series')
    .min(1, 'must be at least 1')
    .default(200_000)
    .describe('Metric series followed at most (least recently seen dropped first): bounds memory.'),
  SIGNALS_LOG_WARMUP_MS: envDurationMs(5 * MINUTE_MS).describe(
    "How long a service is watched before a log template it never wrote counts as new (a new version's first lines); shorter only where services start and fail within minutes (the demo).",
  ),
  LOG_LEVEL: envLogLevel,
});

/** What the signals service runs with: read once from the environment. */
export const signalsSettingsSchema = signalsEnvSchema.transform((env) => ({
  ...serviceSettingsFromEnv(env, 'signals'),
  ...consumerSettingsFromEnv(env, 'signals'),
  maxSeries: env.SIGNALS_MAX_SERIES,
  logWarmupMs: env.SIGNALS_LOG_WARMUP_MS,
}));
export type SignalsSettings = z.output<typeof signalsSettingsSchema>;

export const signalsEnv = defineEnvConfig({
  app: 'signals',
  schema: signalsSettingsSchema,
  aliases: [secondsAlias('SIGNALS_LOG_WARMUP_SECONDS', 'SIGNALS_LOG_WARMUP_MS')],
});
