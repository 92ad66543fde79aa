import { z } from 'zod';
import { envLogLevel, envPort } from '@vigil/config';
import { neo4jEnvSchema } from '@vigil/graph';
import { kafkaEnvSchema } from '@vigil/messaging';
import { defaultAnomalyScale } from '@vigil/rca';

const positiveInt = (fallback: number, what: string) =>
  z.coerce
    .number({ error: `must be a number of ${what}` })
    .int(`must be a whole number of ${what}`)
    .positive('must be above 0')
    .default(fallback);

export const rcaEnvSchema = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  RCA_PORT: envPort(3105),
  RCA_GROUP: z.string().min(1).default('vigil-rca'),
  /** Hops around the incident's services in which root causes are looked for. */
  RCA_HOPS: z.coerce.number().int().min(1).max(6, 'must be from 1 to 6').default(3),
  /** How often open incidents are re-ranked when new evidence has arrived. */
  RCA_INTERVAL_MS: positiveInt(2000, 'milliseconds'),
  /** Incidents older than this are no longer re-ranked. */
  RCA_MAX_AGE_MINUTES: positiveInt(60, 'minutes'),
  /** Metric history kept per series: the reference of normal behaviour. */
  RCA_HISTORY_MINUTES: positiveInt(60, 'minutes'),
  /** How long before an incident's first alert its anomalous period is taken to begin. */
  RCA_LEAD_MINUTES: positiveInt(5, 'minutes'),
  /**
   * How long a metric change must hold to count at full strength: shorter finds a cause sooner
   * where metrics come often, longer ignores more spikes.
   */
  RCA_SUSTAIN_SECONDS: positiveInt(defaultAnomalyScale.sustainMs / 1000, 'seconds'),
  /** Where a new consumer group starts: `latest` builds history from now on, `earliest` replays. */
  RCA_START_AT: z
    .enum(['earliest', 'latest'], { error: 'must be earliest or latest' })
    .default('latest'),
  LOG_LEVEL: envLogLevel,
});
export type RcaConfig = z.output<typeof rcaEnvSchema>;
