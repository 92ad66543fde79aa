import { z } from 'zod';
import { alertSchema } from './alert.schema';
import { schemaVersion1 } from './common';

/**
 * An alert re-keyed by its correlation scope (cluster/environment), so every alert that may share
 * an incident reaches the same correlator partition. Carries where it came from, for tracing.
 */
export const scopedAlertSchema = z.object({
  schemaVersion: schemaVersion1,
  scope: z.string().min(1),
  alert: alertSchema,
  origin: z.object({ partition: z.number().int().nonnegative(), offset: z.string().min(1) }),
});

/**
 * The correlator's state for one partition of the scoped-alert topic, after the message at
 * `offset`. Compacted by key (group and partition), so a restarted correlator reads only the latest one.
 */
/** The most parked offsets one snapshot carries (a bound on the changelog's records). */
export const MAX_PARKED_OFFSETS = 10_000;

export const correlatorSnapshotSchema = z.object({
  schemaVersion: schemaVersion1,
  /** The consumer group whose state this is: deployments sharing a broker do not share state. */
  group: z.string().min(1),
  partition: z.number().int().nonnegative(),
  offset: z.string().min(1),
  takenAt: z.iso.datetime({ offset: true }),
  /** Opaque to other services; libs/correlation reads and writes it. */
  state: z.record(z.string(), z.unknown()),
  /**
   * Offsets after `offset` of records parked in the DLQ for failing every time: a replay from this
   * snapshot passes over them, after a restart as before it, and parks none of them twice.
   */
  parked: z.array(z.string().regex(/^\d+$/)).max(MAX_PARKED_OFFSETS).optional(),
});
export type ScopedAlert = z.infer<typeof scopedAlertSchema>;
export type CorrelatorSnapshot = z.infer<typeof correlatorSnapshotSchema>;
