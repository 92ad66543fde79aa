import { z } from 'zod';
import { isoTime, schemaVersion1 } from './common';

/**
 * Who holds a service's lease (one active instance per environment, the others standing by), on
 * `vigil.service-leases.v1`. Written by the new holder each time the lease changes hands, so
 * people and tests can see every failover; the lease itself is the group's single partition.
 */
export const serviceLeaseSchema = z.object({
  schemaVersion: schemaVersion1,
  /** The lease's name: service and environment, e.g. `executor/production`. */
  lease: z.string().min(1),
  /** The instance that now holds it (host, pid and a random suffix). */
  holder: z.string().min(1),
  acquiredAt: isoTime,
});
export type ServiceLease = z.infer<typeof serviceLeaseSchema>;
