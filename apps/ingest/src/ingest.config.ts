import { z } from 'zod';
import {
  defineEnvConfig,
  envBoolean,
  envDurationMs,
  envLogLevel,
  envPort,
  secondsAlias,
} from '@vigil/config';
import { defaultServiceLabels } from '@vigil/alert-normalization';
import { kafkaEnvSchema, serviceSettingsFromEnv } from '@vigil/messaging';

const envPositiveInt = (fallback: number, min = 1) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .default(fallback);

/** RFC 6750 token characters, so a token with a space or quote fails here, not on every request. */
const bearerToken = /^[A-Za-z0-9\-._~+/]+=*$/;

const envTokenList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((token) => token.trim())
      .filter((token) => token.length > 0),
  )
  .refine(
    (tokens) => tokens.every((token) => token.length >= 16 && bearerToken.test(token)),
    'each comma-separated token must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + / (e.g. openssl rand -hex 24)',
  );

const envLabelList = (fallback: readonly string[]) =>
  z
    .string()
    .default(fallback.join(','))
    .transform((value) => value.split(',').map((name) => name.trim()))
    .refine(
      (names) => names.length > 0 && names.every((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)),
      'must be a comma-separated list of label names, e.g. service,app,job',
    );

export const ingestEnvSchema = kafkaEnvSchema
  .extend({
    INGEST_PORT: envPort(3101).describe('HTTP port of the alert receivers.'),
    INGEST_HOST: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('127.0.0.1 by default; 0.0.0.0 to receive from Alertmanager on another host.'),
    INGEST_TOKENS: envTokenList.describe(
      'Comma-separated bearer tokens senders must present (at least 16 characters each).',
    ),
    INGEST_ALLOW_ANONYMOUS: envBoolean(false).describe(
      'Accept alerts without a token: only when INGEST_TOKENS is empty, and asked for explicitly.',
    ),
    INGEST_MAX_BODY_BYTES: envPositiveInt(2 * 1024 * 1024, 1024)
      .meta({ unit: 'bytes' })
      .describe('Largest request body accepted; larger gets 413.'),
    INGEST_MAX_IN_FLIGHT: envPositiveInt(10_000).describe(
      'Alerts received but not yet acknowledged by Kafka; beyond it requests get 503.',
    ),
    INGEST_STALL_MS: envDurationMs(5_000, { min: 1_000 }).describe(
      'A send waiting this long for Kafka, with none answered meanwhile, is a stall: new requests get 503 until one is.',
    ),
    INGEST_RETRY_AFTER_MS: envDurationMs(5_000, { min: 1_000 }).describe(
      'Retry-After of a 503 (sent in whole seconds, rounded up).',
    ),
    SERVICE_LABELS: envLabelList(defaultServiceLabels).describe(
      'Alert labels that name the service, first present wins.',
    ),
    LOG_LEVEL: envLogLevel,
  })
  .superRefine((config, context) => {
    // An open alert endpoint lets anyone page the on-call: it has to be asked for explicitly.
    if (config.INGEST_TOKENS.length === 0 && !config.INGEST_ALLOW_ANONYMOUS)
      context.addIssue({
        code: 'custom',
        path: ['INGEST_TOKENS'],
        message:
          'no bearer token configured: set INGEST_TOKENS, or INGEST_ALLOW_ANONYMOUS=true to accept alerts from anyone',
      });
  });

/** What the HTTP side (receivers, token guard) reads from the settings. */
export interface IngestSettings {
  tokens: readonly string[];
  maxBodyBytes: number;
  maxInFlightAlerts: number;
  stallMs: number;
  retryAfterMs: number;
  serviceLabels: readonly string[];
}

/** What ingest runs with: read once from the environment. */
export const ingestSettingsSchema = ingestEnvSchema.transform((env) => ({
  ...serviceSettingsFromEnv(env, 'ingest'),
  host: env.INGEST_HOST,
  tokens: env.INGEST_TOKENS,
  maxBodyBytes: env.INGEST_MAX_BODY_BYTES,
  maxInFlightAlerts: env.INGEST_MAX_IN_FLIGHT,
  stallMs: env.INGEST_STALL_MS,
  retryAfterMs: env.INGEST_RETRY_AFTER_MS,
  serviceLabels: env.SERVICE_LABELS,
}));
export type IngestAppSettings = z.output<typeof ingestSettingsSchema>;

export const ingestEnv = defineEnvConfig({
  app: 'ingest',
  schema: ingestSettingsSchema,
  aliases: [secondsAlias('INGEST_RETRY_AFTER_SECONDS', 'INGEST_RETRY_AFTER_MS')],
});
