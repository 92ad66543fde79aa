import { LiveTraceEvidence, type TracePoint } from './live-trace-evidence';
import { linkWaitMetric, spanEvidence } from './span-evidence';
import type { StepTransitionCount } from '../rca-case';
import type { SpanRecord } from './telemetry-records';

const T0 = Date.parse('2026-12-07T10:00:00Z');

/**
 * One request every `everyMs`: frontend's entry span, its client span, cart's entry span. From
 * `slowFrom` on, the link from frontend to cart takes 40 ms more than cart's own work (a network
 * delay, which neither service's own spans show). Every tenth request fails in cart.
 */
function requests(count: number, everyMs: number, slowFrom = Infinity): SpanRecord[] {
  const spans: SpanRecord[] = [];
  for (let i = 0; i < count; i++) {
    const start = T0 + i * everyMs;
    const wait = start >= slowFrom ? 42 : 2;
    const trace = `t${i}`;
    const common = { traceId: trace, start };
    spans.push(
      {
        ...common,
        spanId: `${trace}f`,
        service: 'frontend',
        operation: 'GET /',
        durationMs: 20 + wait,
      },
      {
        ...common,
        spanId: `${trace}c`,
        parentId: `${trace}f`,
        service: 'frontend',
        operation: 'GET cart',
        start: start + 1,
        durationMs: 10 + wait,
      },
      {
        ...common,
        spanId: `${trace}s`,
        parentId: `${trace}c`,
        service: 'cart',
        operation: i % 10 === 0 ? 'GetCart failed' : 'GetCart',
        start: start + 2,
        durationMs: 10,
        error: i % 10 === 0,
      },
    );
  }
  return spans;
}

function feed(live: LiveTraceEvidence, spans: readonly SpanRecord[]): TracePoint[] {
  return spans.flatMap((span) => live.add(span));
}

const valuesOf = (points: readonly TracePoint[], service: string, metric: string) =>
  points.filter((p) => p.service === service && p.metric === metric).map((p) => p.value);

describe('LiveTraceEvidence', () => {
  it('shows a slow link from whole traces, which call records cannot (the wait is in neither span alone)', () => {
    const points = feed(new LiveTraceEvidence(), requests(300, 1_000, T0 + 200_000));

    const wait = valuesOf(points, 'frontend', linkWaitMetric('cart'));
    expect(wait[0]).toBeCloseTo(2);
    expect(wait.at(-1)).toBeCloseTo(42);
    // cart's own latency did not move: the blame is on the link, seen from both ends
    expect(new Set(valuesOf(points, 'cart', 'trace_latency_p90'))).toEqual(new Set([10]));
    expect(valuesOf(points, 'cart', linkWaitMetric('frontend')).at(-1)).toBeCloseTo(42);
  });

  it('gives a bin its points once, when it can no longer change: a bin still filling is not a drop in requests', () => {
    const points = feed(
      new LiveTraceEvidence({ binMs: 10_000, graceMs: 20_000 }),
      requests(95, 1_000),
    );

    // the latest span starts at 94 s: bins that end by 74 s are whole, the 70-80 s bin is not
    const counts = points.filter((p) => p.service === 'cart' && p.metric === 'trace_request_count');
    expect(counts.map((p) => p.time)).toEqual([0, 1, 2, 3, 4, 5, 6].map((b) => T0 + b * 10_000));
    expect(new Set(counts.map((p) => p.value))).toEqual(new Set([10]));
  });

  it('gives the points a file of the same spans gives, for the bins that closed', () => {
    const spans = requests(400, 1_000, T0 + 250_000);
    // each request's spans come child first, as exporters batch them
    const arriving = [];
    for (let i = 0; i < spans.length; i += 3) arriving.push(spans[i + 2], spans[i + 1], spans[i]);
    const points = feed(new LiveTraceEvidence({ binMs: 10_000 }), arriving);

    const closedBefore = Math.max(...points.map((p) => p.time)) + 10_000;
    const fromFile = spanEvidence(spans, { binMs: 10_000 }).series.flatMap((s) =>
      s.times.flatMap((time, i) =>
        time < closedBefore
          ? [
              {
                service: s.service,
                metric: s.metric,
                time,
                value: s.values[i],
                ...(s.windowMs && { windowMs: s.windowMs }),
              },
            ]
          : [],
      ),
    );
    const byKey = (p: TracePoint) => `${p.service} ${p.metric} ${p.time}`;
    const sorted = (list: TracePoint[]) =>
      [...list].sort((a, b) => byKey(a).localeCompare(byKey(b)));
    expect(points.length).toBeGreaterThan(300);
    expect(sorted(points)).toEqual(sorted(fromFile));
    expect(new Set(points.map((p) => p.metric))).toEqual(
      new Set([
        'trace_latency_p50',
        'trace_latency_p90',
        'trace_latency_p99',
        'trace_request_count',
        'trace_error_rate',
        linkWaitMetric('cart'),
        linkWaitMetric('frontend'),
        'trace_calls_out_per_request',
        'trace_operation_shift',
        'trace_path_shift',
        'trace_path_novelty',
      ]),
    );
  });

  it('counts the steps of the requests a file of the same spans counts, for the bins that closed', () => {
    const spans = requests(200, 1_000);
    const arriving = [];
    for (let i = 0; i < spans.length; i += 3) arriving.push(spans[i + 2], spans[i + 1], spans[i]);
    const live = new LiveTraceEvidence({ binMs: 10_000 });
    const points = feed(live, arriving);

    const closedBefore = Math.max(...points.map((p) => p.time)) + 10_000;
    const key = (t: StepTransitionCount) => `${t.service} ${t.at} ${t.from} > ${t.to}`;
    const sorted = (list: StepTransitionCount[]) =>
      [...list].sort((a, b) => key(a).localeCompare(key(b)));
    const fromFile = spanEvidence(spans).transitions.filter((t) => t.at < closedBefore);
    const counted = live.takeTransitions();
    expect(counted.length).toBeGreaterThan(50);
    expect(sorted(counted)).toEqual(sorted(fromFile));
    // frontend's requests call cart, which failed every tenth time under another name
    expect(
      counted.filter((t) => t.service === 'frontend' && t.to === 'call cart GetCart failed'),
    ).not.toHaveLength(0);
    // taken once
    expect(live.takeTransitions()).toEqual([]);
  });

  it('hands out the last bins once no span has come for a minute by the reader’s clock', () => {
    const live = new LiveTraceEvidence({ quietMs: 60_000 });
    live.observeClock(T0);
    const fed = feed(live, requests(95, 1_000));
    const counted = (points: TracePoint[]) =>
      points.filter((p) => p.service === 'cart' && p.metric === 'trace_request_count').length;
    expect(counted(fed)).toBe(7);
    // quiet is counted from the first look at the clock after the last span
    live.observeClock(T0 + 50_000);
    live.observeClock(T0 + 100_000);
    expect(live.closeDue()).toEqual([]);
    live.observeClock(T0 + 111_000);
    expect(counted(live.closeDue())).toBe(3);
  });

  it('keeps the traces of every partition when a backlog is read a partition at a time', () => {
    const spans = requests(200, 1_000);
    // traces are keyed by trace id: even requests on partition 0, odd ones on partition 1
    const onPartition = (p: number) => spans.filter((s) => Number(s.traceId.slice(1)) % 2 === p);
    const live = new LiveTraceEvidence();
    live.expect([0, 1]);
    live.observeClock(T0 + 300_000);
    const points = [
      ...onPartition(0).flatMap((span) => live.add(span, 0)),
      ...onPartition(1).flatMap((span) => live.add(span, 1)),
    ];
    expect(live.dropped).toBe(0);
    // each closed bin counts both partitions' requests: ten a bin
    const counts = valuesOf(points, 'cart', 'trace_request_count');
    expect(counts.length).toBeGreaterThan(10);
    expect(new Set(counts)).toEqual(new Set([10]));
  });

  it('waits for a parent that comes after a bin closed: its client span is not taken for a request', () => {
    const live = new LiveTraceEvidence({ binMs: 10_000, graceMs: 20_000 });
    const at = (s: number) => T0 + s * 1_000;
    // checkout serves a slow request (8 s) from 25 s on: its server span S is exported last, after
    // its client span K and payment's span P; meanwhile a bin closes (spans ending at 40 s come)
    const slow = [
      {
        traceId: 'slow',
        spanId: 'P',
        parentId: 'K',
        service: 'payment',
        operation: 'Charge',
        start: at(26),
        durationMs: 2_000,
      },
      {
        traceId: 'slow',
        spanId: 'K',
        parentId: 'S',
        service: 'checkout',
        operation: 'call',
        start: at(25.5),
        durationMs: 3_000,
      },
    ];
    const other = (s: number) => ({
      traceId: `o${s}`,
      spanId: `o${s}`,
      service: 'cart',
      operation: 'Get',
      start: at(s),
      durationMs: 10,
    });
    const points = [
      ...feed(live, [other(1), ...slow, other(40)]),
      ...feed(live, [
        {
          traceId: 'slow',
          spanId: 'S',
          service: 'checkout',
          operation: 'POST /checkout',
          start: at(25),
          durationMs: 8_000,
        },
      ]),
      ...feed(live, [other(80)]),
    ];
    const checkout = (metric: string) =>
      points.filter((p) => p.service === 'checkout' && p.metric === metric).map((p) => p.value);
    expect(checkout('trace_request_count')).toEqual([1]);
    expect(checkout('trace_calls_out_per_request')).toEqual([1]);
    expect(checkout('trace_latency_p50')).toEqual([8_000]);
  });

  it('counts a span sent twice (an exporter retrying) once', () => {
    const spans = requests(40, 1_000);
    const once = feed(new LiveTraceEvidence(), spans);
    const twice = new LiveTraceEvidence();
    const again = spans.flatMap((s) => [s, { ...s }]);
    expect(feed(twice, again)).toEqual(once);
    expect(twice.dropped).toBe(spans.length);
  });

  it('drops a span whose bin has closed, and one from a clock far ahead, and counts them', () => {
    const live = new LiveTraceEvidence({ aheadMs: 60_000 });
    live.observeClock(T0 + 100_000);
    feed(live, requests(100, 1_000));
    expect(live.dropped).toBe(0);
    live.add({ ...requests(1, 1)[0], spanId: 'late', start: T0 + 5_000 });
    live.add({ ...requests(1, 1)[0], spanId: 'ahead', start: T0 + 100_000 + 3_600_000 });
    expect(live.dropped).toBe(2);
  });
});
