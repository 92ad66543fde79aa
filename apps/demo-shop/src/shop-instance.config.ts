import { z } from 'zod';
import { defineEnvConfig, envBoolean, envDurationMs, envPort } from '@vigil/config';
import { kafkaEnvSchema, kafkaSettingsFromEnv } from '@vigil/messaging';
import { ForeignTopics } from '@vigil/contracts';

/**
 * One instance of one shop service. PORT, VIGIL_SERVICE and VIGIL_VERSION come from whoever runs
 * it (the executor's local-process adapter); the rest from the demo's configuration. Kafka as
 * every producer reaches it: on a secured broker as the user demo-shop (docs/kafka-security.md).
 */
export const shopInstanceEnvSchema = kafkaEnvSchema.extend({
  PORT: envPort(4200).describe('HTTP port of this instance (set by the local-process adapter).'),
  VIGIL_SERVICE: z
    .string()
    .min(1, 'must name the shop service this instance runs')
    .describe('The shop service this instance runs, prefix included.'),
  VIGIL_VERSION: z.string().min(1).default('v1').describe('The release this instance runs.'),
  VIGIL_DATA_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The service's data dir (config versions, volume, locks, credentials; set by the local-process adapter): what a restart keeps.",
    ),
  SHOP_PREFIX: z
    .string()
    .default('')
    .describe('Put before every service name in telemetry, so runs side by side do not mix.'),
  SHOP_PORT_OFFSET: z.coerce
    .number()
    .int()
    .min(0)
    .max(50_000)
    .default(0)
    .describe("Added to every service's port base, for a second shop on the same machine."),
  SHOP_BROKEN: envBoolean(false).describe(
    'A bad release: up, but most requests fail with an exception it logs.',
  ),
  SHOP_TRACES_AND_LOGS: z
    .enum(['vigil', 'otlp_proto', 'otlp_json'])
    .default('otlp_proto')
    .describe(
      "otlp_proto or otlp_json: traces (W3C traceparent between services) and logs through the OpenTelemetry SDK to otlp_spans / otlp_logs in that encoding, as the Collector's Kafka exporter writes them (signals reads them). vigil: aggregated call counts and log lines straight to vigil.spans.v1 / vigil.logs.v1, no traces.",
    ),
  SHOP_OTLP_TRACES_TOPIC: z
    .string()
    .min(1)
    .default(ForeignTopics.otlpSpans.name)
    .describe("Where the SDK's traces go (the Collector's Kafka exporter default)."),
  SHOP_OTLP_LOGS_TOPIC: z
    .string()
    .min(1)
    .default(ForeignTopics.otlpLogs.name)
    .describe("Where the SDK's logs go (the Collector's Kafka exporter default)."),
  SHOP_TELEMETRY_INTERVAL_MS: envDurationMs(2_000, { min: 200, max: 60_000 }).describe(
    'How often the instance sends its metrics, spans and logs.',
  ),
});

/** What a shop instance runs with: read once from the environment. */
export const shopInstanceSettingsSchema = shopInstanceEnvSchema.transform((env) => ({
  port: env.PORT,
  service: env.VIGIL_SERVICE,
  version: env.VIGIL_VERSION,
  dataDir: env.VIGIL_DATA_DIR,
  kafka: kafkaSettingsFromEnv(env, 'demo-shop'),
  prefix: env.SHOP_PREFIX,
  portOffset: env.SHOP_PORT_OFFSET,
  broken: env.SHOP_BROKEN,
  telemetryIntervalMs: env.SHOP_TELEMETRY_INTERVAL_MS,
  otlp:
    env.SHOP_TRACES_AND_LOGS === 'vigil'
      ? undefined
      : {
          encoding: env.SHOP_TRACES_AND_LOGS,
          tracesTopic: env.SHOP_OTLP_TRACES_TOPIC,
          logsTopic: env.SHOP_OTLP_LOGS_TOPIC,
        },
}));
export type ShopInstanceSettings = z.output<typeof shopInstanceSettingsSchema>;

export const shopInstanceEnv = defineEnvConfig({
  app: 'demo-shop',
  schema: shopInstanceSettingsSchema,
});
