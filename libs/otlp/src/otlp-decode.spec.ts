import { decodeEvent, ForeignTopics } from '@vigil/contracts';
import {
  decodeOtlpLogs,
  decodeOtlpTraces,
  otlpLogsPayload,
  otlpTopic,
  otlpTracesPayload,
} from './otlp-decode';
import { OtlpFormatError, otlpEncodings, type OtlpEncoding } from './otlp-model';
import {
  logsPayload,
  ServiceLogger,
  ServiceTracer,
  SeverityNumber,
  SpanKind,
  SpanStatusCode,
  tracePayload,
} from './testing/sdk-payloads';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');

/** frontend's SERVER span calls checkout through a CLIENT span; checkout fails the call. */
function checkoutTrace() {
  const frontend = new ServiceTracer({ 'service.name': 'frontend', 'service.instance.id': 'fe-1' });
  const checkout = new ServiceTracer({ 'service.name': 'checkout' });
  const root = frontend.start('GET /cart', { kind: SpanKind.SERVER }, T0);
  const client = frontend.start(
    'POST',
    { kind: SpanKind.CLIENT, parent: root, attributes: { 'peer.service': 'checkout' } },
    T0 + 5,
  );
  client.setAttributes({ 'http.status_code': 503, retried: true, tags: ['a', 'b'] as never });
  const server = checkout.start(
    'POST /checkout',
    { kind: SpanKind.SERVER, parent: client },
    T0 + 6,
  );
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined' });
  server.end(T0 + 36);
  client.end(T0 + 40);
  root.end(T0 + 50);
  return { spans: [...frontend.finished(), ...checkout.finished()], root, client, server };
}

describe.each(otlpEncodings)('decoding %s as the official serializer writes it', (encoding) => {
  it('gives every span with its service, ids, parent, kind, status, times and attributes', () => {
    const { spans, root, client, server } = checkoutTrace();
    const decoded = decodeOtlpTraces(tracePayload(spans, encoding), encoding);

    expect(decoded).toHaveLength(3);
    const byName = new Map(decoded.map((s) => [s.name, s]));
    expect(byName.get('GET /cart')).toMatchObject({
      resource: { serviceName: 'frontend', serviceInstanceId: 'fe-1' },
      traceId: root.spanContext().traceId,
      spanId: root.spanContext().spanId,
      kind: 'server',
      startMs: T0,
      endMs: T0 + 50,
      status: 'unset',
    });
    expect(byName.get('GET /cart')?.parentSpanId).toBeUndefined();
    expect(byName.get('POST')).toMatchObject({
      parentSpanId: root.spanContext().spanId,
      kind: 'client',
      attributes: {
        'peer.service': 'checkout',
        'http.status_code': 503,
        retried: true,
        tags: '["a","b"]',
      },
    });
    expect(byName.get('POST /checkout')).toMatchObject({
      resource: { serviceName: 'checkout' },
      spanId: server.spanContext().spanId,
      parentSpanId: client.spanContext().spanId,
      status: 'error',
      startMs: T0 + 6,
      endMs: T0 + 36,
    });
  });

  it('gives every log record with its service, severity, body, attributes and trace', () => {
    const logger = new ServiceLogger({ 'service.name': 'payment', 'service.instance.id': 'pay-2' });
    logger.emit({
      timestamp: new Date(T0),
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: 'card declined',
      attributes: { 'order.id': 'o-17', amount: 12.5 },
    });
    logger.emit({ body: { event: 'retry', attempt: 2 }, severityNumber: SeverityNumber.WARN2 });

    const decoded = decodeOtlpLogs(logsPayload(logger.finished(), encoding), encoding);

    expect(decoded).toHaveLength(2);
    expect(decoded[0]).toMatchObject({
      resource: { serviceName: 'payment', serviceInstanceId: 'pay-2' },
      timeMs: T0,
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: 'card declined',
      attributes: { 'order.id': 'o-17', amount: 12.5 },
    });
    expect(decoded[1]).toMatchObject({
      severityNumber: SeverityNumber.WARN2,
      body: '{"event":"retry","attempt":2}',
    });
    expect(decoded[1]?.observedTimeMs).toBeGreaterThan(0);
  });
});

describe('malformed payloads', () => {
  const { spans } = checkoutTrace();
  const proto = tracePayload(spans, 'otlp_proto');
  const json = tracePayload(spans, 'otlp_json');

  it.each<[string, Buffer, OtlpEncoding, RegExp]>([
    ['plain text as protobuf', Buffer.from('not otlp at all'), 'otlp_proto', /wire type/],
    ['OTLP/JSON as protobuf', json, 'otlp_proto', /wire type 3/],
    ['protobuf cut short', proto.subarray(0, proto.length - 7), 'otlp_proto', /past|range/],
    ['an empty message', Buffer.alloc(0), 'otlp_proto', /empty/],
    ['protobuf as JSON', proto, 'otlp_json', /not JSON/],
    ['JSON of something else', Buffer.from('{"alert":"x"}'), 'otlp_json', /resourceSpans/],
    [
      'a span id that is not 8 bytes',
      Buffer.from(json.toString('utf8').replace(/"spanId":"[0-9a-f]{16}"/, '"spanId":"abc"')),
      'otlp_json',
      /spanId/,
    ],
  ])('refuses %s with the reason', (_what, bytes, encoding, reason) => {
    expect(() => decodeOtlpTraces(bytes, encoding)).toThrow(OtlpFormatError);
    expect(() => decodeOtlpTraces(bytes, encoding)).toThrow(reason);
  });

  it('refuses trace bytes on a logs topic', () => {
    expect(() => decodeOtlpLogs(Buffer.from('{"resourceSpans":[]}'), 'otlp_json')).toThrow(
      /resourceLogs/,
    );
  });
});

describe('an OTLP topic through decodeEvent, as the consumer reads it', () => {
  const traces = otlpTopic(ForeignTopics.otlpSpans, 'otlp_spans', otlpTracesPayload('otlp_proto'));
  const logs = otlpTopic(ForeignTopics.otlpLogs, 'otlp_logs', otlpLogsPayload('otlp_json'));

  it('hands the handler the decoded spans', () => {
    const result = decodeEvent(traces, tracePayload(checkoutTrace().spans, 'otlp_proto'));
    expect(result.ok && result.value.map((s) => s.name).sort()).toEqual([
      'GET /cart',
      'POST',
      'POST /checkout',
    ]);
  });

  it('reports a malformed payload as a schema violation naming the topic and the encoding', () => {
    const result = decodeEvent(traces, Buffer.from('not otlp at all'));
    expect(result).toMatchObject({ ok: false, kind: 'schema-violation' });
    if (!result.ok) expect(result.reason).toMatch(/^does not match otlp_spans: .*not otlp_proto: /);
    expect(decodeEvent(logs, Buffer.from('[1,2]'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not otlp_json'),
    });
  });
});
