import { decodeEvent, ForeignTopics } from '@vigil/contracts';
import { Writer } from 'protobufjs/minimal';
import {
  decodeOtlpLogBatch,
  decodeOtlpLogs,
  decodeOtlpTraceBatch,
  decodeOtlpTraces,
  otlpLogsPayload,
  otlpTopic,
  otlpTracesPayload,
} from './otlp-decode';
import { maxAnyValueDepth, OtlpFormatError, otlpEncodings, type OtlpEncoding } from './otlp-model';
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
    expect(result.ok && result.value.records.map((s) => s.name).sort()).toEqual([
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

/** A log body of `levels` AnyValues one in the other (maps, a string at the bottom), for the SDK. */
function nestedBody(levels: number): Record<string, unknown> | string {
  let body: Record<string, unknown> | string = 'bottom';
  for (let level = 1; level < levels; level++) body = { k: body };
  return body;
}

/** An OTLP/JSON AnyValue `levels` deep, arrays and maps in turn, written out without recursion. */
function nestedAnyValueJson(levels: number): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let level = 1; level < levels; level++) {
    open.push(
      level % 2 ? '{"arrayValue":{"values":[' : '{"kvlistValue":{"values":[{"key":"k","value":',
    );
    close.push(level % 2 ? ']}}' : '}]}}');
  }
  return `${open.join('')}{"stringValue":"bottom"}${close.reverse().join('')}`;
}

/** What the specs change of an OTLP/JSON request; the rest is kept as the serializer wrote it. */
interface JsonKeyValue {
  key: string;
  value: unknown;
}
interface JsonRequest {
  resourceSpans?: Array<{
    resource: { attributes: JsonKeyValue[] };
    scopeSpans: Array<{
      spans: Array<{
        name: string;
        attributes: JsonKeyValue[];
        startTimeUnixNano: string | number;
        endTimeUnixNano: string | number;
      }>;
    }>;
  }>;
  resourceLogs?: Array<{
    scopeLogs: Array<{
      logRecords: Array<{ body?: unknown; timeUnixNano: string; observedTimeUnixNano: string }>;
    }>;
  }>;
}
const spansOf = (r: JsonRequest) =>
  (r.resourceSpans ?? []).flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
const logRecordsOf = (r: JsonRequest) =>
  (r.resourceLogs ?? []).flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords));
function the<T>(item: T | undefined): T {
  if (item === undefined) throw new Error('the request has no such item');
  return item;
}

/** `json` (an OTLP/JSON request) with `edit` applied to its parsed object, and `"$DEEP"` replaced. */
function editedJson(json: Buffer, edit: (request: JsonRequest) => void, deep = ''): Buffer {
  const request = JSON.parse(json.toString('utf8')) as JsonRequest;
  edit(request);
  return Buffer.from(JSON.stringify(request).replace('"$DEEP"', deep));
}

/** The checkout trace in OTLP/JSON with a span attribute thousands of levels deep (~540 kB). */
const deepSpanAttribute = () =>
  editedJson(
    tracePayload(checkoutTrace().spans, 'otlp_json'),
    (r) => the(spansOf(r)[0]).attributes.push({ key: 'deep', value: '$DEEP' }),
    nestedAnyValueJson(14_000),
  );

/** An OTLP protobuf logs request of one record whose body is an AnyValue `levels` deep. */
function protoLogsWithDeepBody(levels: number): Uint8Array {
  const LEN = 2;
  const message = (field: number, inner: Uint8Array) =>
    Writer.create()
      .uint32((field << 3) | LEN)
      .bytes(inner)
      .finish();
  let value = Writer.create()
    .uint32((1 << 3) | LEN)
    .string('bottom')
    .finish();
  // AnyValue.array_value (5) holding an ArrayValue whose values (1) hold the level below
  for (let level = 1; level < levels; level++) value = message(5, message(1, value));
  const logRecord = message(5, value); // LogRecord.body
  const resourceLogs = message(2, message(2, logRecord)); // ResourceLogs.scope_logs.log_records
  return message(1, resourceLogs); // ExportLogsServiceRequest.resource_logs
}

describe(`AnyValues nested deeper than ${maxAnyValueDepth} levels`, () => {
  const logger = (levels: number) => {
    const l = new ServiceLogger({ 'service.name': 'payment' });
    l.emit({ body: nestedBody(levels) as never });
    return l.finished();
  };

  it.each(otlpEncodings)(
    `%s: decodes a body ${maxAnyValueDepth} levels deep and refuses one a level deeper`,
    (encoding) => {
      const [kept] = decodeOtlpLogs(logsPayload(logger(maxAnyValueDepth), encoding), encoding);
      expect(kept?.body).toContain('"bottom"');

      const deeper = logsPayload(logger(maxAnyValueDepth + 1), encoding);
      expect(() => decodeOtlpLogs(deeper, encoding)).toThrow(OtlpFormatError);
      expect(() => decodeOtlpLogs(deeper, encoding)).toThrow(
        /AnyValue nested deeper than 64 levels/,
      );
    },
  );

  it('otlp_json: refuses a span attribute thousands deep with where it is, not a stack overflow', () => {
    const deep = deepSpanAttribute();
    expect(deep.length).toBeGreaterThan(500_000);

    expect(() => decodeOtlpTraces(deep, 'otlp_json')).toThrow(OtlpFormatError);
    expect(() => decodeOtlpTraces(deep, 'otlp_json')).toThrow(
      'resourceSpans.0.scopeSpans.0.spans.0.attributes: attribute "deep": an AnyValue nested deeper than 64 levels',
    );
  });

  it('otlp_json: refuses a resource attribute or a log body thousands deep', () => {
    const deepResource = editedJson(
      tracePayload(checkoutTrace().spans, 'otlp_json'),
      (r) => the(r.resourceSpans?.[0]).resource.attributes.push({ key: 'deep', value: '$DEEP' }),
      nestedAnyValueJson(14_000),
    );
    expect(() => decodeOtlpTraces(deepResource, 'otlp_json')).toThrow(
      /resourceSpans\.0\.resource\.attributes: attribute "deep": an AnyValue nested deeper/,
    );

    const deepBody = editedJson(
      logsPayload(logger(1), 'otlp_json'),
      (r) => (the(logRecordsOf(r)[0]).body = '$DEEP'),
      nestedAnyValueJson(14_000),
    );
    expect(() => decodeOtlpLogs(deepBody, 'otlp_json')).toThrow(
      /resourceLogs\.0\.scopeLogs\.0\.logRecords\.0\.body: an AnyValue nested deeper/,
    );
  });

  it('otlp_proto: refuses a body thousands deep by its depth, not a stack overflow', () => {
    const deep = protoLogsWithDeepBody(5_000);
    expect(() => decodeOtlpLogs(deep, 'otlp_proto')).toThrow(OtlpFormatError);
    expect(() => decodeOtlpLogs(deep, 'otlp_proto')).toThrow(
      /^AnyValue at byte \d+: an AnyValue nested deeper than 64 levels$/,
    );
  });

  it('gives a consumer a schema violation with the reason from decodeEvent, not a throw', () => {
    const traces = otlpTopic(ForeignTopics.otlpSpans, 'otlp_spans', otlpTracesPayload('otlp_json'));
    const logs = otlpTopic(ForeignTopics.otlpLogs, 'otlp_logs', otlpLogsPayload('otlp_proto'));

    expect(decodeEvent(traces, deepSpanAttribute())).toEqual({
      ok: false,
      kind: 'schema-violation',
      reason:
        'does not match otlp_spans: (root): not otlp_json: ExportTraceServiceRequest: not OTLP/JSON: ' +
        'resourceSpans.0.scopeSpans.0.spans.0.attributes: attribute "deep": an AnyValue nested deeper than 64 levels',
    });
    expect(decodeEvent(logs, Buffer.from(protoLogsWithDeepBody(5_000)))).toEqual({
      ok: false,
      kind: 'schema-violation',
      reason: expect.stringMatching(
        /^does not match otlp_logs: \(root\): not otlp_proto: AnyValue at byte \d+: an AnyValue nested deeper than 64 levels$/,
      ),
    });
  });
});

describe('anything else going wrong while decoding (otlp_proto)', () => {
  // Bytes that throw what a decoder might (here: a RangeError) the moment they are read. (In
  // otlp_json everything before the schema is read inside JSON's own "not JSON" catch; what
  // could throw past it, an AnyValue too deep, is above.)
  const exploding = () =>
    new Proxy(new Uint8Array(16), {
      get(target, property) {
        if (property === 'length') throw new RangeError('Maximum call stack size exceeded');
        return Reflect.get(target, property);
      },
    });
  const reason = 'cannot be decoded: RangeError: Maximum call stack size exceeded';

  it('is an OtlpFormatError with the reason from every decode function', () => {
    for (const decode of [decodeOtlpTraces, decodeOtlpTraceBatch])
      expect(() => decode(exploding(), 'otlp_proto')).toThrow(
        new OtlpFormatError(`ExportTraceServiceRequest: ${reason}`),
      );
    for (const decode of [decodeOtlpLogs, decodeOtlpLogBatch])
      expect(() => decode(exploding(), 'otlp_proto')).toThrow(
        new OtlpFormatError(`ExportLogsServiceRequest: ${reason}`),
      );
  });

  it('is a schema violation with the reason from decodeEvent', () => {
    const topic = otlpTopic(ForeignTopics.otlpSpans, 'otlp_spans', otlpTracesPayload('otlp_proto'));
    expect(decodeEvent(topic, exploding() as Buffer)).toEqual({
      ok: false,
      kind: 'schema-violation',
      reason: `does not match otlp_spans: (root): not otlp_proto: ExportTraceServiceRequest: ${reason}`,
    });
  });
});

describe('a record whose time no topic can hold, among good ones', () => {
  /** 10^23 ns: past what a JS Date holds (8.64e21 ns); 3 * 10^20 ns: the year 11476. */
  const pastDate = '100000000000000000000000';
  const pastYear9999 = '300000000000000000000';

  it('drops the span, keeps the others of the message, and says why', () => {
    const { spans, root, client, server } = checkoutTrace();
    const json = editedJson(tracePayload(spans, 'otlp_json'), (r) => {
      const named = (name: string) => the(spansOf(r).find((s) => s.name === name));
      named('POST').startTimeUnixNano = pastDate;
      named('POST /checkout').endTimeUnixNano = pastYear9999;
    });

    const batch = decodeOtlpTraceBatch(json, 'otlp_json');

    expect(batch.records.map((s) => s.name)).toEqual(['GET /cart']);
    expect(batch.records[0]?.spanId).toBe(root.spanContext().spanId);
    expect(batch.dropped).toEqual([
      `span ${client.spanContext().spanId} "POST" of trace ${root.spanContext().traceId}: its start time is past 9999-12-31, dropped`,
      `span ${server.spanContext().spanId} "POST /checkout" of trace ${root.spanContext().traceId}: its end time is past 9999-12-31, dropped`,
    ]);
    expect(decodeOtlpTraces(json, 'otlp_json')).toHaveLength(1);

    const topic = otlpTopic(ForeignTopics.otlpSpans, 'otlp_spans', otlpTracesPayload('otlp_json'));
    expect(decodeEvent(topic, json)).toMatchObject({
      ok: true,
      value: { records: [{ name: 'GET /cart' }], dropped: batch.dropped },
    });
  });

  it('treats a log time past 9999 as unknown (0), as OTLP does an unset one, and keeps the record', () => {
    const logger = new ServiceLogger({ 'service.name': 'payment' });
    logger.emit({ body: 'late', timestamp: new Date(T0) });
    logger.emit({ body: 'fine', timestamp: new Date(T0) });
    logger.emit({ body: 'nothing right', timestamp: new Date(T0) });
    const json = editedJson(logsPayload(logger.finished(), 'otlp_json'), (r) => {
      const [late, , wrong] = logRecordsOf(r);
      the(late).timeUnixNano = pastDate;
      the(wrong).timeUnixNano = pastYear9999;
      the(wrong).observedTimeUnixNano = '9'.repeat(600);
    });

    const batch = decodeOtlpLogBatch(json, 'otlp_json');

    expect(batch.dropped).toEqual([]);
    expect(batch.records.map((l) => [l.body, l.timeMs])).toEqual([
      ['late', 0],
      ['fine', T0],
      ['nothing right', 0],
    ]);
    expect(batch.records[0]?.observedTimeMs).toBeGreaterThan(0);
    expect(batch.records[2]?.observedTimeMs).toBe(0);
  });

  it('reads a time written as a JSON number, even past 2^53 (as every time since 1970-04 is)', () => {
    const json = editedJson(tracePayload(checkoutTrace().spans, 'otlp_json'), (r) => {
      const [first, second] = spansOf(r);
      the(first).startTimeUnixNano = (T0 + 1) * 1e6;
      the(first).endTimeUnixNano = (T0 + 2) * 1e6;
      the(second).endTimeUnixNano = 1e23;
    });
    const batch = decodeOtlpTraceBatch(json, 'otlp_json');
    expect(batch.records).toHaveLength(2);
    // a double holds nanoseconds since 1970 to 256 ns: a microsecond is close enough
    expect(batch.records[0]?.startMs).toBeCloseTo(T0 + 1, 2);
    expect(batch.records[0]?.endMs).toBeCloseTo(T0 + 2, 2);
    expect(batch.dropped).toEqual([expect.stringContaining('its end time is past 9999-12-31')]);
  });
});
