import { z } from 'zod';
import { defineEnvConfig, envDurationMs, envLogLevel, envPort, envUrl } from '@vigil/config';
import {
  consumerEnvFields,
  consumerSettingsFromEnv,
  kafkaEnvSchema,
  serviceSettingsFromEnv,
} from '@vigil/messaging';

export const rulerEnvSchema = kafkaEnvSchema.extend({
  RULER_PORT: envPort(3112).describe('HTTP port (/metrics, /healthz).'),
  ...consumerEnvFields('ruler', 'evaluates from now on'),
  RULER_RULES: z
    .string()
    .min(1)
    .default('shop')
    .describe("shop (the demo shop's rules) or the path of a JSON file holding an array of rules."),
  RULER_SERVICE_PREFIX: z
    .string()
    .default('')
    .describe('Put before the service names the shop rules expect (a prefixed demo shop).'),
  RULER_INTERVAL_MS: envDurationMs(5_000, { min: 500 }).describe(
    'How often the rules are evaluated.',
  ),
  RULER_INGEST_URL: envUrl('http://127.0.0.1:3101/api/v1/alerts/alertmanager', [
    'http',
    'https',
  ]).describe("Where alerts go, as Alertmanager would send them: ingest's webhook."),
  RULER_INGEST_TOKEN: z
    .string()
    .min(1, 'must be one of ingest’s INGEST_TOKENS')
    .describe("Bearer token for ingest: one of ingest's INGEST_TOKENS."),
  LOG_LEVEL: envLogLevel,
});

/** What the ruler runs with: read once from the environment. */
export const rulerSettingsSchema = rulerEnvSchema.transform((env) => ({
  ...serviceSettingsFromEnv(env, 'ruler'),
  ...consumerSettingsFromEnv(env, 'ruler'),
  rules: env.RULER_RULES,
  servicePrefix: env.RULER_SERVICE_PREFIX,
  intervalMs: env.RULER_INTERVAL_MS,
  ingestUrl: env.RULER_INGEST_URL,
  ingestToken: env.RULER_INGEST_TOKEN,
}));
export type RulerSettings = z.output<typeof rulerSettingsSchema>;

export const rulerEnv = defineEnvConfig({ app: 'ruler', schema: rulerSettingsSchema });
