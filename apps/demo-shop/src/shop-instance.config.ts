import { z } from 'zod';
import { envBoolean, envHostPortList, envPort } from '@vigil/config';

/**
 * One instance of one shop service. PORT, VIGIL_SERVICE and VIGIL_VERSION come from whoever runs
 * it (the executor's local-process adapter); the rest from the demo's configuration.
 */
export const shopInstanceEnvSchema = z.object({
  PORT: envPort(4200),
  VIGIL_SERVICE: z.string().min(1, 'must name the shop service this instance runs'),
  VIGIL_VERSION: z.string().min(1).default('v1'),
  KAFKA_BROKERS: envHostPortList('localhost:9092'),
  /** Put before every service name in telemetry, so runs side by side do not mix. */
  SHOP_PREFIX: z.string().default(''),
  /** Added to every service's port base, for a second shop on the same machine. */
  SHOP_PORT_OFFSET: z.coerce.number().int().min(0).max(50_000).default(0),
  /** A bad release: up, but most requests fail with an exception it logs. */
  SHOP_BROKEN: envBoolean(false),
  SHOP_TELEMETRY_INTERVAL_MS: z.coerce.number().int().min(200).max(60_000).default(2_000),
});
export type ShopInstanceConfig = z.output<typeof shopInstanceEnvSchema>;
