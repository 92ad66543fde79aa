import {
  parseLogCsv,
  parseLogJsonl,
  parseMetricBatchJsonl,
  parseSpanCsv,
  parseSpanJsonl,
  unwrapLogLine,
  workloadOfPod,
} from './telemetry-records';

describe('workloadOfPod', () => {
  it("reads a Deployment's pod as its workload", () => {
    expect(workloadOfPod('cartservice-579f59597d-wc2lz')).toBe('cartservice');
    expect(workloadOfPod('ts-ui-dashboard-5477b965f-2chkr')).toBe('ts-ui-dashboard');
  });

  it('keeps plain names, and names whose last parts are words rather than generated ids', () => {
    expect(workloadOfPod('cartservice')).toBe('cartservice');
    expect(workloadOfPod('redis-cart')).toBe('redis-cart');
    expect(workloadOfPod('redis-cart-0')).toBe('redis-cart-0');
    expect(workloadOfPod('home-timeline-redis')).toBe('home-timeline-redis');
    expect(workloadOfPod('node-exporter-x7k2p')).toBe('node-exporter-x7k2p');
  });
});

const SPAN_HEADER =
  'TraceID,SpanID,ParentID,PodName,OperationName,StartTimeUnixNano,EndTimeUnixNano,Duration';

describe('parseSpanCsv', () => {
  it('reads epoch-ns start/end as ms, a `root` parent as none, and pods as workloads', () => {
    const text = [
      SPAN_HEADER,
      't1,s1,root,frontend-579b9bff58-t2dbm,hipstershop.Frontend/Recv.,1661151797562000000,1661151797576500000,14500',
      't1,s2,s1,cartservice-579f59597d-wc2lz,"GetCart, fast",1661151797563000000,1661151797568000000,5000',
      't1,s3,s2,redis-cart,HGET,1661151797564000000,1661151797565000000,1000',
    ].join('\n');
    const { records, skipped } = parseSpanCsv(text, { file: 'trace.csv' });
    expect(skipped).toBe(0);
    expect(records.map((r) => [r.spanId, r.parentId, r.service, r.operation])).toEqual([
      ['s1', undefined, 'frontend', 'hipstershop.Frontend/Recv.'],
      ['s2', 's1', 'cartservice', 'GetCart, fast'],
      ['s3', 's2', 'redis-cart', 'HGET'],
    ]);
    expect(records[0]).not.toHaveProperty('parentId');
    expect(records[0].start).toBeCloseTo(1661151797562, 3);
    expect(records[0].durationMs).toBeCloseTo(14.5, 3);
    expect(records[1].durationMs).toBeCloseTo(5, 3);
  });

  it('keeps a service name column as it is, and reads start in ms with a duration in µs', () => {
    const text = [
      'traceId,spanId,parentSpanId,serviceName,name,startMs,duration',
      't1,a,,checkout-579f59597d-wc2lz,PlaceOrder,1000.5,2500',
      't1,b,0,payment,Charge,1001,1000',
    ].join('\n');
    const { records } = parseSpanCsv(text, { file: 'spans.csv' });
    expect(records).toEqual([
      {
        traceId: 't1',
        spanId: 'a',
        service: 'checkout-579f59597d-wc2lz',
        operation: 'PlaceOrder',
        start: 1000.5,
        durationMs: 2.5,
      },
      {
        traceId: 't1',
        spanId: 'b',
        service: 'payment',
        operation: 'Charge',
        start: 1001,
        durationMs: 1,
      },
    ]);
  });

  it('rejects a row with an empty start (not epoch 0)', () => {
    const text = 'traceId,spanId,service,startMs,durationMs\nt,a,s,,5';
    expect(() => parseSpanCsv(text, { file: 'spans.csv' })).toThrow(
      'spans.csv:2: no start time and duration',
    );
  });

  it('reads the error status where a column says so', () => {
    const text = [
      'traceId,spanId,service,startMs,durationMs,status',
      't,a,s,1,1,ERROR',
      't,b,s,1,1,STATUS_CODE_ERROR',
      't,c,s,1,1,2',
      't,d,s,1,1,OK',
      't,e,s,1,1,1',
      't,f,s,1,1,',
    ].join('\n');
    const { records } = parseSpanCsv(text, { file: 'spans.csv' });
    expect(records.map((r) => r.error)).toEqual([true, true, true, false, false, undefined]);
    const flags = parseSpanCsv(
      'traceId,spanId,service,startMs,durationMs,error\nt,a,s,1,1,1\nt,b,s,1,1,false',
      {
        file: 'spans.csv',
      },
    );
    expect(flags.records.map((r) => r.error)).toEqual([true, false]);
  });

  const malformed = [
    SPAN_HEADER,
    't1,s1,root,frontend,op,1000000,2000000,1000',
    't1,s2,s1,cart,op,soon,2000000,1000',
    't1,,s1,cart,op,1000000,2000000,1000',
    't1,s4,s1,cart,op,3000000,2000000,1000',
    't1,s5,s1,cart,op,,,',
  ].join('\n');

  it('stops at a malformed row naming file and line, unless lenient', () => {
    expect(() => parseSpanCsv(malformed, { file: 'trace.csv' })).toThrow(
      'trace.csv:3: start/end are not times in ns',
    );
    expect(() =>
      parseSpanCsv([SPAN_HEADER, malformed.split('\n')[3]].join('\n'), { file: 'trace.csv' }),
    ).toThrow('trace.csv:2: an id or the service is empty');
  });

  it('skips and counts malformed rows when lenient', () => {
    const { records, skipped } = parseSpanCsv(malformed, { file: 'trace.csv', lenient: true });
    expect(records.map((r) => r.spanId)).toEqual(['s1']);
    expect(skipped).toBe(4);
  });

  it('names the line of a row with a cell more than the header, or skips it when lenient', () => {
    const text = [
      SPAN_HEADER,
      't1,s1,root,frontend,op,1000000,2000000,1000',
      't1,s2,s1,cart,op,1000000,2000000,1000,extra',
    ].join('\n');
    expect(() => parseSpanCsv(text, { file: 'trace.csv' })).toThrow(
      'trace.csv:3: 9 cells where the header has 8',
    );
    expect(parseSpanCsv(text, { file: 'trace.csv', lenient: true }).skipped).toBe(1);
  });

  it('names a missing required column', () => {
    expect(() => parseSpanCsv('TraceID,ParentID,PodName\nt,root,p', { file: 'trace.csv' })).toThrow(
      'trace.csv:1: no spanId column (spanid)',
    );
    expect(() => parseSpanCsv('TraceID,SpanID\nt,s', { file: 'trace.csv' })).toThrow(
      /trace\.csv:1: no service column/,
    );
  });
});

describe('parseSpanJsonl', () => {
  const good = {
    traceId: 't1',
    spanId: 's2',
    parentId: 's1',
    service: 'cart',
    operation: 'GetCart',
    start: 1000,
    durationMs: 12.5,
    error: false,
  };

  it('reads one span a line, skipping blank lines; an empty parent is none', () => {
    const root = {
      traceId: 't1',
      spanId: 's1',
      parentId: '',
      service: 'frontend',
      start: 990,
      durationMs: 30,
    };
    const { records } = parseSpanJsonl(`${JSON.stringify(root)}\n\n${JSON.stringify(good)}\n`, {
      file: 'spans.jsonl',
    });
    expect(records).toEqual([
      {
        traceId: 't1',
        spanId: 's1',
        service: 'frontend',
        operation: '',
        start: 990,
        durationMs: 30,
      },
      good,
    ]);
  });

  it('names file and line of a bad line, or skips and counts it when lenient', () => {
    const text = [
      JSON.stringify(good),
      '{"traceId": "t1", "spanId": "s3", "service": "cart", "start": "late", "durationMs": 1}',
      'not json at all',
    ].join('\n');
    expect(() => parseSpanJsonl(text, { file: 'spans.jsonl' })).toThrow(
      /^spans\.jsonl:2: needs traceId, spanId, service/,
    );
    expect(() => parseSpanJsonl(text.split('\n')[2], { file: 'spans.jsonl' })).toThrow(
      'spans.jsonl:1: not JSON',
    );
    expect(parseSpanJsonl(text, { file: 'spans.jsonl', lenient: true })).toEqual({
      records: [good],
      skipped: 2,
    });
  });

  it('reads records of vigil.traces.v1 as a consumer of the topic dumps them', () => {
    const traced = {
      schemaVersion: 1,
      traceId: 't1',
      spanId: 's2',
      parentSpanId: 's1',
      service: 'cart',
      operation: 'GetCart',
      time: new Date(1000).toISOString(),
      durationMs: 12.5,
      status: 'error',
    };
    const text = [traced, { ...traced, service: 'my cart' }].map((v) => JSON.stringify(v));
    expect(parseSpanJsonl(text[0], { file: 'traces.jsonl' }).records).toEqual([
      { ...good, error: true },
    ]);
    expect(() => parseSpanJsonl(text.join('\n'), { file: 'traces.jsonl' })).toThrow(
      /^traces\.jsonl:2: not a trace span: .*service/,
    );
  });
});

describe('parseLogCsv', () => {
  // a container runtime's JSON line around an app's JSON log, as CSV exports of pods' logs hold it
  const wrapped = JSON.stringify({
    log: `${JSON.stringify({ severity: 'ERROR', message: 'failed to charge card: declined' })}\n`,
    stream: 'stdout',
  });
  const csvCell = (text: string) => `"${text.replace(/"/g, '""')}"`;

  it('unwraps an app JSON log inside a runtime JSON line: its message and its severity', () => {
    const text = [
      'Timestamp,TimeUnixNano,PodName,Log',
      `2022-08-22T05:18:42.908Z,1661145522908000000,paymentservice-6cfdd55578-gfj6q,${csvCell(wrapped)}`,
    ].join('\n');
    const { records } = parseLogCsv(text, { file: 'log.csv' });
    expect(records).toEqual([
      {
        service: 'paymentservice',
        time: 1661145522908,
        body: 'failed to charge card: declined',
        level: 'error',
      },
    ]);
  });

  it("reads a plain line's level from its text, and an ISO time where no ns time is given", () => {
    const text = [
      'timestamp,service,body',
      '2023-01-29T08:48:42.000Z,ts-order-service,16:48:42.424 ERROR o.s.OrderServiceImpl order 7 not found',
      '2023-01-29T08:48:43.000Z,ts-order-service,16:48:43.100 WARN  o.s.OrderServiceImpl slow query',
      '2023-01-29T08:48:44.000Z,ts-order-service,16:48:44.100 WARNING disk almost full',
      '2023-01-29T08:48:45.000Z,ts-order-service,started in 3 s',
    ].join('\n');
    const { records } = parseLogCsv(text, { file: 'log.csv' });
    expect(records.map((r) => r.level)).toEqual(['error', 'warn', 'warn', 'info']);
    expect(records[0]).toMatchObject({
      service: 'ts-order-service',
      time: Date.parse('2023-01-29T08:48:42.000Z'),
    });
  });

  it('takes the ISO time of a line whose ns time overflowed, and says a line has no time at all', () => {
    const text = [
      'Timestamp,TimeUnixNano,PodName,Log',
      `2023-01-30T12:00:41.5Z,-6795364578871345152,ts-travel-service-64469b5b48-25zj6,${csvCell(wrapped)}`,
      `,-6795364578871345152,ts-travel-service-64469b5b48-25zj6,${csvCell(wrapped)}`,
    ].join('\n');
    expect(() => parseLogCsv(text, { file: 'log.csv' })).toThrow(/log\.csv:3.*no time/);
    const { records, skipped } = parseLogCsv(text, { file: 'log.csv', lenient: true });
    expect(records.map((r) => r.time)).toEqual([Date.parse('2023-01-30T12:00:41.5Z')]);
    expect(skipped).toBe(1);
  });

  it("keeps a line's trace and span ids, when the export has them", () => {
    const text = [
      'Timestamp,TimeUnixNano,PodName,TraceID,SpanID,Log',
      `2023-01-29T10:12:22Z,1674987142929874503,ts-travel-service-64469b5b48-25zj6,0bba15a1,b8ce114f,${csvCell(wrapped)}`,
      `2023-01-29T10:12:23Z,1674987143929874503,ts-travel-service-64469b5b48-25zj6,,,${csvCell(wrapped)}`,
    ].join('\n');
    const { records } = parseLogCsv(text, { file: 'log.csv' });
    expect(records[0]).toMatchObject({ traceId: '0bba15a1', spanId: 'b8ce114f' });
    expect(records[1]).not.toHaveProperty('traceId');
  });

  it('prefers a level column to the text', () => {
    const text =
      'time,service,level,message\n2023-01-01T00:00:00Z,cart,warning,ERROR is a word here';
    expect(parseLogCsv(text, { file: 'log.csv' }).records[0].level).toBe('warn');
  });

  it('names the line of a row without time, or skips it when lenient; names a missing column', () => {
    const text = 'time,service,body\n2023-01-01T00:00:00Z,cart,ok\nyesterday,cart,ok';
    expect(() => parseLogCsv(text, { file: 'log.csv' })).toThrow('log.csv:3: no time');
    expect(parseLogCsv(text, { file: 'log.csv', lenient: true }).skipped).toBe(1);
    // an empty ns time is no time (not epoch 0)
    expect(() => parseLogCsv('TimeUnixNano,pod,log\n,cart,x', { file: 'log.csv' })).toThrow(
      'log.csv:2: no time',
    );
    expect(() => parseLogCsv('time,service\n1,cart', { file: 'log.csv' })).toThrow(
      /log\.csv:1: no body column/,
    );
  });
});

describe('parseLogCsv with rows of other width and lines over several lines', () => {
  const header = 'TimeUnixNano,PodName,Log';

  it('names the line of a row without its line cell or with cells more, or skips them when lenient', () => {
    const text = [
      header,
      '1767225600000000000,orders-7d9f8b6c5d-x2b4z,"ok"',
      '1767225600000000000,orders-7d9f8b6c5d-x2b4z', // line 3: no line cell
      '1767225601000000000,orders-7d9f8b6c5d-x2b4z,"a",extra,cells', // line 4
      '1767225602000000000,orders-7d9f8b6c5d-x2b4z,"fine"',
    ].join('\n');
    expect(() => parseLogCsv(text, { file: 'log.csv' })).toThrow(
      'log.csv:3: 2 cells where the header has 3',
    );
    expect(() =>
      parseLogCsv([header, text.split('\n')[3]].join('\n'), { file: 'log.csv' }),
    ).toThrow('log.csv:2: 5 cells where the header has 3');
    const lenient = parseLogCsv(text, { file: 'log.csv', lenient: true });
    expect(lenient.skipped).toBe(2);
    expect(lenient.records.map((r) => r.body)).toEqual(['ok', 'fine']);
  });

  it('reads a stack trace quoted over several lines as one line, and names later rows by their own line', () => {
    const text = [
      header,
      '1767225605000000000,orders-7d9f8b6c5d-x2b4z,"ERROR boom',
      '  at foo (a.js:1)',
      '  at bar (b.js:2)"',
      'never,orders-7d9f8b6c5d-x2b4z,"ok"', // line 5
    ].join('\n');
    expect(() => parseLogCsv(text, { file: 'log.csv' })).toThrow('log.csv:5: no time');
    const { records } = parseLogCsv(text, { file: 'log.csv', lenient: true });
    expect(records).toEqual([
      {
        service: 'orders',
        time: 1767225605000,
        body: 'ERROR boom\n  at foo (a.js:1)\n  at bar (b.js:2)',
        level: 'error',
      },
    ]);
  });

  it('names the line where a quote never closed began, or skips that row and reads on', () => {
    const text = [
      header,
      '1767225600000000000,cart,"ok"',
      '1767225601000000000,cart,"oops', // line 3: never closed
      '1767225602000000000,cart,"fine"',
    ].join('\n');
    expect(() => parseLogCsv(text, { file: 'log.csv' })).toThrow(
      'log.csv:3: a quoted field is not closed on its line, and no later line closes it cleanly',
    );
    const lenient = parseLogCsv(text, { file: 'log.csv', lenient: true });
    expect(lenient).toMatchObject({ skipped: 1, records: [{ body: 'ok' }, { body: 'fine' }] });
  });
});

describe('parseMetricBatchJsonl', () => {
  const batch = (time: string, value: number) =>
    JSON.stringify({
      schemaVersion: 1,
      source: 'shop',
      service: 'cart',
      samples: [{ name: 'latency_ms', labels: { quantile: 'p99' }, time, value }],
    });

  it('reads batches into one series per service and metric, named as apps/rca names them, in time order', () => {
    const text = [batch('2026-01-01T00:00:10Z', 2), batch('2026-01-01T00:00:00Z', 1)].join('\n');
    const read = parseMetricBatchJsonl(text, { file: 'm.jsonl' });
    expect(read.records).toHaveLength(1);
    expect(read.records[0]).toMatchObject({
      service: 'cart',
      times: [Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:10Z')],
      values: [1, 2],
    });
    expect(read.records[0].metric).toContain('latency_ms');
  });

  it('names the line of a line that is no batch, or skips it under lenient', () => {
    const text = [batch('2026-01-01T00:00:00Z', 1), '{"service":"cart"}'].join('\n');
    expect(() => parseMetricBatchJsonl(text, { file: 'm.jsonl' })).toThrow(
      'm.jsonl:2: not a metric batch',
    );
    expect(parseMetricBatchJsonl(text, { file: 'm.jsonl', lenient: true }).skipped).toBe(1);
  });
});

describe('parseLogJsonl', () => {
  const record = {
    schemaVersion: 1,
    service: 'orders',
    level: 'error',
    body: 'failed to place order 7: timeout',
    attributes: { trace_id: 't1', span_id: 's1' },
    time: '2026-01-01T00:10:03.000Z',
  };

  it('reads records of the log contract as the log lines a CSV export gives', () => {
    const jsonl = parseLogJsonl(`${JSON.stringify(record)}\n`, { file: 'logs.jsonl' });
    const csv = parseLogCsv(
      'time,service,level,traceId,spanId,body\n2026-01-01T00:10:03.000Z,orders,error,t1,s1,failed to place order 7: timeout',
      { file: 'logs.csv' },
    );
    expect(jsonl).toEqual(csv);
  });

  it('names the line of a record that is not of the contract, or skips it when lenient', () => {
    const text = [JSON.stringify(record), JSON.stringify({ ...record, level: 'loud' })].join('\n');
    expect(() => parseLogJsonl(text, { file: 'logs.jsonl' })).toThrow(
      /^logs\.jsonl:2: not a log record: /,
    );
    expect(parseLogJsonl(text, { file: 'logs.jsonl', lenient: true }).skipped).toBe(1);
  });
});

describe('unwrapLogLine', () => {
  it('keeps a line that only looks like JSON', () => {
    expect(unwrapLogLine('{not json} ERROR x')).toEqual({
      body: '{not json} ERROR x',
      level: 'error',
    });
    expect(unwrapLogLine('{"count": 3}')).toEqual({ body: '{"count": 3}', level: 'info' });
  });
});
