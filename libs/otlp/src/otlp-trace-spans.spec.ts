import { traceSpanSchema } from '@vigil/contracts';
import { decodeOtlpTraces } from './otlp-decode';
import type { OtlpSpan } from './otlp-model';
import { toTraceSpan } from './otlp-trace-spans';
import { ServiceTracer, SpanKind, SpanStatusCode, tracePayload } from './testing/sdk-payloads';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');

const decoded = (tracer: ServiceTracer): OtlpSpan[] =>
  decodeOtlpTraces(tracePayload(tracer.finished(), 'otlp_json'), 'otlp_json');

describe('toTraceSpan', () => {
  it('keeps a span with its parent, service, name, start, duration and error', () => {
    const frontend = new ServiceTracer({ 'service.name': 'frontend' });
    const cart = new ServiceTracer({ 'service.name': 'cart service' });
    const root = frontend.start('GET /', { kind: SpanKind.SERVER }, T0);
    const server = cart.start('GET /cart', { kind: SpanKind.SERVER, parent: root }, T0 + 3.5);
    server.setStatus({ code: SpanStatusCode.ERROR });
    server.end(T0 + 12);
    root.end(T0 + 20);

    const spans = [...decoded(frontend), ...decoded(cart)].map(toTraceSpan);

    expect(spans).toEqual([
      {
        schemaVersion: 1,
        traceId: root.spanContext().traceId,
        spanId: root.spanContext().spanId,
        service: 'frontend',
        operation: 'GET /',
        time: new Date(T0).toISOString(),
        durationMs: 20,
        status: 'ok',
      },
      {
        schemaVersion: 1,
        traceId: root.spanContext().traceId,
        spanId: server.spanContext().spanId,
        parentSpanId: root.spanContext().spanId,
        service: 'cart-service',
        operation: 'GET /cart',
        time: new Date(T0 + 3.5).toISOString(),
        durationMs: 8.5,
        status: 'error',
      },
    ]);
    for (const span of spans) expect(traceSpanSchema.safeParse(span).success).toBe(true);
  });

  it('leaves out a span that has no ids to put it in a trace by', () => {
    const [span] = decoded(
      (() => {
        const t = new ServiceTracer({ 'service.name': 'cart' });
        t.start('x', {}, T0).end(T0 + 1);
        return t;
      })(),
    );
    expect(toTraceSpan({ ...span, traceId: '' })).toBeUndefined();
    expect(toTraceSpan({ ...span, spanId: '' })).toBeUndefined();
  });

  it('leaves out a span whose start or end is past what a topic can hold', () => {
    const tracer = new ServiceTracer({ 'service.name': 'cart' });
    tracer.start('x', {}, T0).end(T0 + 1);
    const [span] = decoded(tracer);
    // 10^17 ms is past a JS Date (toISOString throws); 3 * 10^14 ms the year 11476, no RFC 3339
    for (const ms of [1e17, 3e14, Infinity]) {
      expect(toTraceSpan({ ...span, startMs: ms, endMs: ms + 1 })).toBeUndefined();
      expect(toTraceSpan({ ...span, endMs: ms })).toBeUndefined();
    }
  });

  it('bounds a long name and a span that ends before it starts', () => {
    const tracer = new ServiceTracer({ 'service.name': 'cart' });
    tracer.start('n'.repeat(2000), {}, T0).end(T0 + 1);
    const [span] = decoded(tracer);
    const out = toTraceSpan({ ...span, endMs: span.startMs - 5 });
    expect(out?.operation).toHaveLength(512);
    expect(out?.durationMs).toBe(0);
    expect(traceSpanSchema.safeParse(out).success).toBe(true);
  });
});
