import { z } from 'zod';
import { envLogLevel, envPort } from '@vigil/config';
import { kafkaEnvSchema } from '@vigil/messaging';

export const signalsEnvSchema = kafkaEnvSchema.extend({
  SIGNALS_PORT: envPort(3106),
  SIGNALS_GROUP: z.string().min(1).default('vigil-signals'),
  /** Metric series followed at most (least recently seen dropped first): bounds memory. */
  SIGNALS_MAX_SERIES: z.coerce
    .number({ error: 'must be a whole number of series' })
    .int('must be a whole number of series')
    .min(1, 'must be at least 1')
    .default(200_000),
  /** Where a new consumer group starts: `latest` learns from now on, `earliest` replays. */
  SIGNALS_START_AT: z
    .enum(['earliest', 'latest'], { error: 'must be earliest or latest' })
    .default('latest'),
  /**
   * How long a service is watched before a log template it never wrote counts as new (a new
   * version's first lines): shorter only where services start and fail within minutes (the demo).
   */
  SIGNALS_LOG_WARMUP_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int()
    .min(0)
    .default(300),
  LOG_LEVEL: envLogLevel,
});
export type SignalsConfig = z.output<typeof signalsEnvSchema>;
