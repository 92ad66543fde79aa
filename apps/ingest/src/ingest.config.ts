import { z } from 'zod';
import { envBoolean, envLogLevel, envPort } from '@vigil/config';
import { defaultServiceLabels } from '@vigil/alert-normalization';
import { kafkaEnvSchema } from '@vigil/messaging';

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
    INGEST_PORT: envPort(3101),
    /** 127.0.0.1 by default; 0.0.0.0 to receive from Alertmanager on another host. */
    INGEST_HOST: z.string().min(1).default('127.0.0.1'),
    INGEST_TOKENS: envTokenList,
    INGEST_ALLOW_ANONYMOUS: envBoolean(false),
    INGEST_MAX_BODY_BYTES: envPositiveInt(2 * 1024 * 1024, 1024),
    /** Alerts received but not yet acknowledged by Kafka; beyond it requests get 503. */
    INGEST_MAX_IN_FLIGHT: envPositiveInt(10_000),
    INGEST_RETRY_AFTER_SECONDS: envPositiveInt(5),
    SERVICE_LABELS: envLabelList(defaultServiceLabels),
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
export type IngestConfig = z.output<typeof ingestEnvSchema>;

/** What the HTTP side needs, derived once from the configuration. */
export interface IngestSettings {
  tokens: readonly string[];
  maxBodyBytes: number;
  maxInFlightAlerts: number;
  retryAfterSeconds: number;
  serviceLabels: readonly string[];
}

export function ingestSettingsFromConfig(config: IngestConfig): IngestSettings {
  return {
    tokens: config.INGEST_TOKENS,
    maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
    maxInFlightAlerts: config.INGEST_MAX_IN_FLIGHT,
    retryAfterSeconds: config.INGEST_RETRY_AFTER_SECONDS,
    serviceLabels: config.SERVICE_LABELS,
  };
}

export const INGEST_SETTINGS = Symbol('INGEST_SETTINGS');
