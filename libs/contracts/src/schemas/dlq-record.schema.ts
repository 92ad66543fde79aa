import { z } from 'zod';
import { isoTime, schemaVersion1 } from './common';

export const dlqErrorKind = z.enum(['malformed-json', 'schema-violation', 'processing-failed']);

/** What could not be processed, on `vigil.dlq.v1`: enough to see why and to replay the original bytes. */
export const dlqRecordSchema = z.object({
  schemaVersion: schemaVersion1,
  originalTopic: z.string().min(1),
  partition: z.number().int().nonnegative(),
  offset: z.string().min(1),
  consumerGroup: z.string().min(1),
  /** base64 of the original key and value, byte for byte. */
  keyBase64: z.string().nullable(),
  valueBase64: z.string().nullable(),
  /**
   * Set when the value was too big to park whole: its size in bytes, of which `valueBase64`
   * holds only the first part. Such a record says what failed but cannot be replayed.
   */
  valueBytes: z.number().int().positive().optional(),
  headers: z.record(z.string(), z.string()),
  errorKind: dlqErrorKind,
  reason: z.string().min(1),
  attempts: z.number().int().positive(),
  failedAt: isoTime,
});
export type DlqErrorKind = z.infer<typeof dlqErrorKind>;
export type DlqRecord = z.infer<typeof dlqRecordSchema>;
