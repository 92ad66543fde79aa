import type { TraceSpan } from '@vigil/contracts';
import { entityOfResource } from './otlp-entity';
import { isWritableTime, type OtlpSpan } from './otlp-model';

/** The longest duration and span name `vigil.traces.v1` holds. */
const maxDurationMs = 86_400_000;
const maxOperation = 512;

/**
 * An OTLP span as Vigil's trace span (`vigil.traces.v1`): its ids and parent, the service of its
 * resource, its name as the operation, start and duration, and whether it ended in error. Spans
 * without a trace or span id cannot be put into a trace, nor spans whose start or end is past
 * 9999-12-31 (`isWritableTime`) in time: undefined.
 */
export function toTraceSpan(span: OtlpSpan): TraceSpan | undefined {
  if (!span.traceId || !span.spanId) return undefined;
  if (!isWritableTime(span.startMs) || !isWritableTime(span.endMs)) return undefined;
  const durationMs = Math.min(Math.max(0, span.endMs - span.startMs), maxDurationMs);
  return {
    schemaVersion: 1,
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    service: entityOfResource(span.resource),
    operation: span.name.slice(0, maxOperation),
    time: new Date(span.startMs).toISOString(),
    durationMs: Number.isFinite(durationMs) ? durationMs : 0,
    status: span.status === 'error' ? 'error' : 'ok',
  };
}
