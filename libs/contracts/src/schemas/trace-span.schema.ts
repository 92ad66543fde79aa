import { z } from 'zod';
import { callSpanStatus } from './call-span.schema';
import { entityName, isoTime, schemaVersion1 } from './common';

/**
 * One span as a tracer recorded it, on `vigil.traces.v1`: with its parent, so whole traces can be
 * put back together. Where `vigil.spans.v1` says only that a caller called a callee, these say
 * what each service did for each request (its entry spans, the calls its work made, how long the
 * caller waited beyond the callee's own time), which RCA reads as the same series `vigil rca
 * --traces` builds offline. signals writes them from OTLP; any tracer may.
 */
export const traceSpanSchema = z.object({
  schemaVersion: schemaVersion1,
  /** Hex as OTLP gives it (32 digits for the trace, 16 for spans), or any tracer's own ids. */
  traceId: z.string().min(1).max(128),
  spanId: z.string().min(1).max(64),
  /** Absent for a trace's root span. */
  parentSpanId: z.string().min(1).max(64).optional(),
  /** The entity the span belongs to (OTLP: the `service.name` resource attribute). */
  service: entityName,
  /** The span's name: the operation (`GET /cart`, `CartService/GetCart`). */
  operation: z.string().max(512).default(''),
  /** When the span started. */
  time: isoTime,
  durationMs: z.number().min(0).max(86_400_000),
  /** OTLP's UNSET counts as ok: instrumentation marks failures, not successes. */
  status: callSpanStatus.default('ok'),
});
export type TraceSpan = z.infer<typeof traceSpanSchema>;
