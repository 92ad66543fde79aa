import {
  CallSpanJoiner,
  decodeOtlpLogs,
  decodeOtlpTraces,
  toLogRecord,
  toTraceSpan,
} from '@vigil/otlp';
import { ShopOtel } from './shop-otel';

/** What the exporters would have written to Kafka, by topic. */
function recordingSender() {
  const sent: Array<{ topic: string; key: string | null; value: Buffer }> = [];
  return {
    sent,
    sender: {
      send: async (record: {
        topic: string;
        messages: Array<{ key: string | null; value: Buffer }>;
      }) => {
        for (const m of record.messages) sent.push({ topic: record.topic, ...m });
      },
    },
  };
}

describe('the demo shop through the OpenTelemetry SDK', () => {
  for (const encoding of ['otlp_proto', 'otlp_json'] as const)
    it(`writes what signals reads as the call graph and the log stream (${encoding})`, async () => {
      const { sent, sender } = recordingSender();
      const otel = new ShopOtel(sender, {
        service: 'checkout',
        instance: 'checkout-4201',
        version: 'v2',
        encoding,
        tracesTopic: 'otlp_spans',
        logsTopic: 'otlp_logs',
        exportDelayMs: 10,
      });
      const request = otel.request('checkout', Date.now() - 30);
      const call = otel.beginCall(request, {
        callee: 'payment',
        route: 'charge',
        startedMs: Date.now() - 20,
      });
      otel.endCall(call.span, false, Date.now() - 5);
      otel.log('error', 'checkout: call to payment charge failed: 500', { version: 'v2' }, request);
      otel.respond(request, 502, Date.now());
      await otel.shutdown();

      const spans = sent
        .filter((m) => m.topic === 'otlp_spans')
        .flatMap((m) => decodeOtlpTraces(m.value, encoding));
      expect(sent.filter((m) => m.topic === 'otlp_spans').map((m) => m.key)).toEqual([
        request.spanContext().traceId,
      ]);
      const calls = new CallSpanJoiner().observe(spans);
      expect(calls).toEqual([
        expect.objectContaining({ caller: 'checkout', callee: 'payment', status: 'error' }),
      ]);
      expect(calls[0]?.durationMs).toBeGreaterThanOrEqual(14);

      const logs = sent
        .filter((m) => m.topic === 'otlp_logs')
        .flatMap((m) => decodeOtlpLogs(m.value, encoding))
        .map((log) => toLogRecord(log, new Date()));
      expect(logs).toEqual([
        expect.objectContaining({
          service: 'checkout',
          instance: 'checkout-4201',
          level: 'error',
          body: 'checkout: call to payment charge failed: 500',
          attributes: expect.objectContaining({
            version: 'v2',
            trace_id: request.spanContext().traceId,
          }),
        }),
      ]);
    });

  it('carries the trace to the callee: its SERVER span is the child of the caller’s CLIENT span', async () => {
    const { sent, sender } = recordingSender();
    const shop = (service: string) =>
      new ShopOtel(sender, {
        service,
        instance: `${service}-1`,
        version: 'v1',
        encoding: 'otlp_proto',
        tracesTopic: 'otlp_spans',
        logsTopic: 'otlp_logs',
        exportDelayMs: 10,
      });
    const checkout = shop('checkout');
    const payment = shop('payment');
    const t0 = Date.now() - 50;
    const request = checkout.request('checkout', t0);
    const call = checkout.beginCall(request, {
      callee: 'payment',
      route: 'charge',
      startedMs: t0 + 1,
    });
    // what node:http hands the callee: header names in lower case
    const served = payment.request('charge', t0 + 2, { ...call.headers, host: '127.0.0.1' });
    payment.respond(served, 200, t0 + 12);
    checkout.endCall(call.span, true, t0 + 40);
    checkout.respond(request, 200, t0 + 45);
    await Promise.all([checkout.shutdown(), payment.shutdown()]);

    expect(Object.keys(call.headers)).toContain('traceparent');
    const spans = sent.flatMap((m) => decodeOtlpTraces(m.value, 'otlp_proto'));
    const traced = spans.flatMap((s) => toTraceSpan(s) ?? []);
    const client = traced.find((s) => s.spanId === call.span.spanContext().spanId);
    expect(traced.find((s) => s.service === 'payment')).toMatchObject({
      traceId: request.spanContext().traceId,
      parentSpanId: client?.spanId,
      durationMs: 10,
    });
    // one call, counted once from both ends, timed by the client
    expect(new CallSpanJoiner().observe(spans)).toEqual([
      expect.objectContaining({ caller: 'checkout', callee: 'payment', durationMs: 39 }),
    ]);
  });
});
