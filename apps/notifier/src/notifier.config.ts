import { z } from 'zod';
import { defineEnvConfig, envDurationMs, envLogLevel, envPort } from '@vigil/config';
import {
  consumerEnvFields,
  consumerSettingsFromEnv,
  kafkaEnvSchema,
  serviceSettingsFromEnv,
} from '@vigil/messaging';

export const notifierEnvSchema = kafkaEnvSchema.extend({
  NOTIFIER_PORT: envPort(3113).describe('HTTP port (/metrics, /healthz).'),
  ...consumerEnvFields('notifier', 'notifies only of incident events from now on'),
  NOTIFIER_ROUTES: z
    .string()
    .trim()
    .min(1, 'must be the path of the routes file (YAML or JSON)')
    .describe(
      'Path of the routes file (YAML or JSON): receivers (slack, pagerduty, opsgenie, webhook), teams, routes, defaultReceiver.',
    ),
  NOTIFIER_LEDGER_DIR: z
    .string()
    .trim()
    .min(1)
    .default('.vigil/notifier')
    .describe(
      'Where the ledger of sent notifications lives (one file per consumer group), so a restart sends nothing twice.',
    ),
  NOTIFIER_TIMEOUT_MS: envDurationMs(10_000, { min: 100 }).describe(
    'How long one request to a receiver may take.',
  ),
  NOTIFIER_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(5)
    .describe('Tries per notification, the first included, before it goes to the DLQ.'),
  NOTIFIER_BACKOFF_MS: envDurationMs(1_000, { min: 1 }).describe(
    'The first wait between tries; it doubles each time (with jitter) up to NOTIFIER_BACKOFF_MAX_MS.',
  ),
  NOTIFIER_BACKOFF_MAX_MS: envDurationMs(30_000, { min: 1 }).describe(
    'The longest wait between tries.',
  ),
  LOG_LEVEL: envLogLevel,
});

/** What the notifier runs with: read once from the environment. */
export const notifierSettingsSchema = notifierEnvSchema.transform((env) => ({
  ...serviceSettingsFromEnv(env, 'notifier'),
  ...consumerSettingsFromEnv(env, 'notifier'),
  routesFile: env.NOTIFIER_ROUTES,
  ledgerDir: env.NOTIFIER_LEDGER_DIR,
  timeoutMs: env.NOTIFIER_TIMEOUT_MS,
  retry: {
    attempts: env.NOTIFIER_ATTEMPTS,
    baseMs: env.NOTIFIER_BACKOFF_MS,
    maxMs: Math.max(env.NOTIFIER_BACKOFF_MS, env.NOTIFIER_BACKOFF_MAX_MS),
  },
}));
export type NotifierSettings = z.output<typeof notifierSettingsSchema>;

export const notifierEnv = defineEnvConfig({ app: 'notifier', schema: notifierSettingsSchema });
