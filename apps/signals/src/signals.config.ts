import { z } from 'zod';
import {
  defineEnvConfig,
  envBoolean,
  envDurationMs,
  envLogLevel,
  envPort,
  MINUTE_MS,
  secondsAlias,
} from '@vigil/config';
import { ForeignTopics } from '@vigil/contracts';
import {
  consumerEnvFields,
  consumerSettingsFromEnv,
  kafkaEnvSchema,
  serviceSettingsFromEnv,
} from '@vigil/messaging';
import { otlpEncodings } from '@vigil/otlp';

/** A Kafka topic name as brokers accept it. */
const envTopic = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name: letters, digits, . _ -')
    .default(fallback);

const envOtlpEncoding = z
  .enum(otlpEncodings, { error: 'must be otlp_proto or otlp_json' })
  .default('otlp_proto');

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
  SIGNALS_OTLP_IN: envBoolean(true).describe(
    "Read OTLP traces and logs from the topics the OpenTelemetry Collector's Kafka exporter writes, into vigil.traces.v1, vigil.spans.v1 and vigil.logs.v1 (docs/otlp.md).",
  ),
  SIGNALS_OTLP_TRACES_TOPIC: envTopic(ForeignTopics.otlpSpans.name).describe(
    "The Collector's traces topic (its kafka exporter's traces::topic).",
  ),
  SIGNALS_OTLP_TRACES_ENCODING: envOtlpEncoding.describe(
    "Its encoding, otlp_proto or otlp_json (the exporter's traces::encoding).",
  ),
  SIGNALS_OTLP_LOGS_TOPIC: envTopic(ForeignTopics.otlpLogs.name).describe(
    "The Collector's logs topic (its kafka exporter's logs::topic).",
  ),
  SIGNALS_OTLP_LOGS_ENCODING: envOtlpEncoding.describe(
    "Its encoding, otlp_proto or otlp_json (the exporter's logs::encoding).",
  ),
  LOG_LEVEL: envLogLevel,
});

/** What the signals service runs with: read once from the environment. */
export const signalsSettingsSchema = signalsEnvSchema.transform((env) => ({
  ...serviceSettingsFromEnv(env, 'signals'),
  ...consumerSettingsFromEnv(env, 'signals'),
  maxSeries: env.SIGNALS_MAX_SERIES,
  logWarmupMs: env.SIGNALS_LOG_WARMUP_MS,
  otlp: env.SIGNALS_OTLP_IN
    ? {
        traces: {
          topic: env.SIGNALS_OTLP_TRACES_TOPIC,
          encoding: env.SIGNALS_OTLP_TRACES_ENCODING,
        },
        logs: { topic: env.SIGNALS_OTLP_LOGS_TOPIC, encoding: env.SIGNALS_OTLP_LOGS_ENCODING },
      }
    : undefined,
}));
export type SignalsSettings = z.output<typeof signalsSettingsSchema>;

export const signalsEnv = defineEnvConfig({
  app: 'signals',
  schema: signalsSettingsSchema,
  aliases: [secondsAlias('SIGNALS_LOG_WARMUP_SECONDS', 'SIGNALS_LOG_WARMUP_MS')],
});
