import { z } from 'zod';
import { envLogLevel, envPort, envUrl } from '@vigil/config';
import { kafkaEnvSchema } from '@vigil/messaging';

export const rulerEnvSchema = kafkaEnvSchema.extend({
  RULER_PORT: envPort(3112),
  RULER_GROUP: z.string().min(1).default('vigil-ruler'),
  RULER_START_AT: z
    .enum(['earliest', 'latest'], { error: 'must be earliest or latest' })
    .default('latest'),
  /** `shop` (the demo shop's rules) or the path of a JSON file holding an array of rules. */
  RULER_RULES: z.string().min(1).default('shop'),
  /** Put before the service names the shop rules expect (a prefixed demo shop). */
  RULER_SERVICE_PREFIX: z.string().default(''),
  RULER_INTERVAL_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int()
    .min(500)
    .default(5_000),
  /** Where alerts go, as Alertmanager would send them: ingest's webhook. */
  RULER_INGEST_URL: envUrl('http://127.0.0.1:3101/api/v1/alerts/alertmanager', ['http', 'https']),
  RULER_INGEST_TOKEN: z.string().min(1, 'must be one of ingest’s INGEST_TOKENS'),
  LOG_LEVEL: envLogLevel,
});
export type RulerConfig = z.output<typeof rulerEnvSchema>;
