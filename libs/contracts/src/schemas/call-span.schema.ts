import { z } from 'zod';
import { entityName, isoTime, schemaVersion1 } from './common';

export const callSpanStatus = z.enum(['ok', 'error']);

/**
 * One observed call from a service to another on `vigil.spans.v1`, keyed by the caller: a span of
 * a tracer, or `count` calls a reporter already aggregated (then `durationMs` is their mean and
 * `status` holds for all of them). topology-sync derives CALLS edges from these.
 */
export const callSpanSchema = z.object({
  schemaVersion: schemaVersion1,
  caller: entityName,
  callee: entityName,
  time: isoTime,
  durationMs: z.number().min(0).max(86_400_000).optional(),
  status: callSpanStatus.default('ok'),
  count: z.number().int().min(1).max(1_000_000).default(1),
  traceId: z.string().min(1).max(128).optional(),
  spanId: z.string().min(1).max(64).optional(),
});
export type CallSpan = z.infer<typeof callSpanSchema>;
export type CallSpanStatus = z.infer<typeof callSpanStatus>;
