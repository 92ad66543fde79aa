import { CallSpanJoiner, decodeOtlpLogs, decodeOtlpTraces, toLogRecord } from '@vigil/otlp';
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
      otel.call(request, {
        callee: 'payment',
        route: 'charge',
        startedMs: Date.now() - 20,
        endedMs: Date.now() - 5,
        ok: false,
      });
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
});
