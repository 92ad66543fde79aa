import { z } from 'zod';
import {
  defineEnvConfig,
  envBoolean,
  envDurationMs,
  envLogLevel,
  envPort,
  MINUTE_MS,
  minutesAlias,
  secondsAlias,
} from '@vigil/config';
import { graphSettingsFromEnv, neo4jEnvSchema } from '@vigil/graph';
import {
  consumerEnvFields,
  consumerSettingsFromEnv,
  kafkaEnvSchema,
  serviceSettingsFromEnv,
} from '@vigil/messaging';
import { prometheusEnvSchema, prometheusSettingsFromEnv } from '@vigil/prometheus';
import { defaultAnomalyScale } from '@vigil/rca';

const positiveMs = (fallbackMs: number) => envDurationMs(fallbackMs, { min: 1 });

export const rcaEnvSchema = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  RCA_PORT: envPort(3105).describe('HTTP port (/metrics, /healthz).'),
  ...consumerEnvFields('rca', 'builds history from now on'),
  RCA_HOPS: z.coerce
    .number()
    .int()
    .min(1)
    .max(6, 'must be from 1 to 6')
    .default(3)
    .describe("Hops around the incident's services in which root causes are looked for."),
  RCA_INTERVAL_MS: positiveMs(2000).describe(
    'How often open incidents are re-ranked when new evidence has arrived.',
  ),
  RCA_MAX_AGE_MS: positiveMs(60 * MINUTE_MS).describe(
    'Incidents older than this are no longer re-ranked.',
  ),
  RCA_HISTORY_MS: positiveMs(60 * MINUTE_MS).describe(
    'Metric history kept per series: the reference of normal behaviour.',
  ),
  RCA_LEAD_MS: positiveMs(5 * MINUTE_MS).describe(
    "How long before an incident's first alert its anomalous period is taken to begin.",
  ),
  RCA_SUSTAIN_MS: positiveMs(defaultAnomalyScale.sustainMs).describe(
    'How long a metric change must hold to count at full strength: shorter finds a cause sooner where metrics come often, longer ignores more spikes.',
  ),
  RCA_MAINTAINED_BASELINES: envBoolean(false).describe(
    "Keep every series' normal profile as samples arrive and rank with the one from before the incident: faster for an incident spanning tens of thousands of series (140 ms instead of 241 ms at 50,000), less accurate (README, rca ranking time).",
  ),
  ...prometheusEnvSchema.shape,
  LOG_LEVEL: envLogLevel,
});

/** What the rca service runs with: read once from the environment. */
export const rcaSettingsSchema = rcaEnvSchema.transform((env) => ({
  ...serviceSettingsFromEnv(env, 'rca'),
  ...consumerSettingsFromEnv(env, 'rca'),
  graph: graphSettingsFromEnv(env),
  hops: env.RCA_HOPS,
  intervalMs: env.RCA_INTERVAL_MS,
  maxAgeMs: env.RCA_MAX_AGE_MS,
  historyMs: env.RCA_HISTORY_MS,
  leadMs: env.RCA_LEAD_MS,
  sustainMs: env.RCA_SUSTAIN_MS,
  maintainedBaselines: env.RCA_MAINTAINED_BASELINES,
  /** Absent: metrics come from vigil.metrics.v1 only. */
  prometheus: prometheusSettingsFromEnv(env),
}));
export type RcaSettings = z.output<typeof rcaSettingsSchema>;

export const rcaEnv = defineEnvConfig({
  app: 'rca',
  schema: rcaSettingsSchema,
  aliases: [
    minutesAlias('RCA_MAX_AGE_MINUTES', 'RCA_MAX_AGE_MS'),
    minutesAlias('RCA_HISTORY_MINUTES', 'RCA_HISTORY_MS'),
    minutesAlias('RCA_LEAD_MINUTES', 'RCA_LEAD_MS'),
    secondsAlias('RCA_SUSTAIN_SECONDS', 'RCA_SUSTAIN_MS'),
  ],
});
