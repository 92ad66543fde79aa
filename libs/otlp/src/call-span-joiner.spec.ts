import { callSpanSchema } from '@vigil/contracts';
import { CallSpanJoiner } from './call-span-joiner';
import { decodeOtlpTraces } from './otlp-decode';
import type { OtlpSpan } from './otlp-model';
import { ServiceTracer, SpanKind, SpanStatusCode, tracePayload } from './testing/sdk-payloads';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');

/** What a service's Collector batch would carry: its finished spans, through the wire format. */
const batch = (tracer: ServiceTracer): OtlpSpan[] =>
  decodeOtlpTraces(tracePayload(tracer.finished(), 'otlp_proto'), 'otlp_proto');

/**
 * frontend (SERVER, then a CLIENT span with `attributes`) calls cart (SERVER, then INTERNAL);
 * cart's server span fails when `cartFails`.
 */
function cartCall(clientAttributes: Record<string, string>, cartFails = false) {
  const frontend = new ServiceTracer({ 'service.name': 'frontend' });
  const cart = new ServiceTracer({ 'service.name': 'cart' });
  const root = frontend.start('GET /', { kind: SpanKind.SERVER }, T0);
  const client = frontend.start(
    'GET',
    { kind: SpanKind.CLIENT, parent: root, attributes: clientAttributes },
    T0 + 2,
  );
  const server = cart.start('GET /cart', { kind: SpanKind.SERVER, parent: client }, T0 + 3);
  const inner = cart.start('load', { kind: SpanKind.INTERNAL, parent: server }, T0 + 4);
  inner.end(T0 + 10);
  if (cartFails) server.setStatus({ code: SpanStatusCode.ERROR });
  server.end(T0 + 12);
  client.end(T0 + 15);
  root.end(T0 + 20);
  return { frontend, cart, client, server };
}

describe('CallSpanJoiner', () => {
  it('makes one call from a parent in one service to its child in another, timed by the client', () => {
    const { frontend, cart, server } = cartCall({ 'server.address': '127.0.0.1' });
    const calls = new CallSpanJoiner().observe([...batch(frontend), ...batch(cart)]);

    expect(calls).toEqual([
      {
        schemaVersion: 1,
        caller: 'frontend',
        callee: 'cart',
        time: new Date(T0 + 2).toISOString(),
        durationMs: 13,
        status: 'ok',
        count: 1,
        traceId: server.spanContext().traceId,
        spanId: server.spanContext().spanId,
      },
    ]);
    for (const call of calls) expect(callSpanSchema.safeParse(call).success).toBe(true);
  });

  it('joins a child whose parent comes in a later message', () => {
    const { frontend, cart } = cartCall({});
    const joiner = new CallSpanJoiner();

    expect(joiner.observe(batch(cart))).toEqual([]);
    expect(joiner.observe(batch(frontend))).toMatchObject([{ caller: 'frontend', callee: 'cart' }]);
  });

  it('takes the callee of a CLIENT span from peer.service and counts the call once', () => {
    const { frontend, cart, client } = cartCall({ 'peer.service': 'cart-api' });
    const joiner = new CallSpanJoiner();

    const calls = [...joiner.observe(batch(frontend)), ...joiner.observe(batch(cart))];

    expect(calls).toMatchObject([
      {
        caller: 'frontend',
        callee: 'cart-api',
        durationMs: 13,
        spanId: client.spanContext().spanId,
      },
    ]);
  });

  it('takes a server.address that names a host, not one that is an IP address or localhost', () => {
    const named = cartCall({ 'server.address': 'cart.shop' });
    const local = cartCall({ 'server.address': 'localhost' });

    expect(new CallSpanJoiner().observe(batch(named.frontend))).toMatchObject([
      { caller: 'frontend', callee: 'cart.shop' },
    ]);
    expect(new CallSpanJoiner().observe(batch(local.frontend))).toEqual([]);
  });

  it('marks the call in error when the callee failed it', () => {
    const { frontend, cart } = cartCall({}, true);
    expect(new CallSpanJoiner().observe([...batch(cart), ...batch(frontend)])).toMatchObject([
      { caller: 'frontend', callee: 'cart', status: 'error' },
    ]);
  });

  it('leaves out a span dated past what a topic can hold, and makes the calls of the others', () => {
    const bad = cartCall({ 'peer.service': 'cart-api' });
    const good = cartCall({ 'peer.service': 'payment' });
    const late = bad.client.spanContext().spanId;
    const spans = [...batch(bad.frontend), ...batch(good.frontend)].map((span) =>
      span.spanId === late ? { ...span, startMs: 1e17 } : span,
    );

    const calls = new CallSpanJoiner().observe(spans);

    expect(calls).toMatchObject([{ caller: 'frontend', callee: 'payment' }]);
    for (const call of calls) expect(callSpanSchema.safeParse(call).success).toBe(true);
  });

  it('forgets the oldest waiting children beyond its bound', () => {
    const first = cartCall({});
    const second = cartCall({});
    const joiner = new CallSpanJoiner({ maxSpans: 100, maxWaiting: 1 });

    joiner.observe(batch(first.cart));
    joiner.observe(batch(second.cart));

    expect(joiner.observe(batch(first.frontend))).toEqual([]);
    expect(joiner.observe(batch(second.frontend))).toMatchObject([{ callee: 'cart' }]);
  });

  it('prepares the calls of spans without taking them in until they are committed', () => {
    const { frontend, cart } = cartCall({});
    const joiner = new CallSpanJoiner();
    joiner.observe(batch(cart));
    const spans = batch(frontend);

    const first = joiner.prepare(spans);
    // not committed (the publish failed, say): the same spans make the same call again
    const again = joiner.prepare(spans);

    expect(first.calls).toMatchObject([{ caller: 'frontend', callee: 'cart' }]);
    expect(again.calls).toEqual(first.calls);
    again.commit();
    // committed: cart's span no longer waits, and calls prepared before are stale
    expect(joiner.prepare(spans).calls).toEqual([]);
    expect(() => first.commit()).toThrow(/changed since/);
  });
});
