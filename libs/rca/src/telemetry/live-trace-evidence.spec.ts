import { LiveTraceEvidence } from './live-trace-evidence';
import { linkWaitMetric } from './span-evidence';
import type { SpanRecord } from './telemetry-records';

const T0 = Date.parse('2026-12-07T10:00:00Z');

/**
 * One request every `everyMs`: frontend's entry span, its client span, cart's entry span. From
 * `slowFrom` on, the link from frontend to cart takes 40 ms more than cart's own work (a network
 * delay, which neither service's own spans show).
 */
function requests(count: number, everyMs: number, slowFrom = Infinity): SpanRecord[] {
  const spans: SpanRecord[] = [];
  for (let i = 0; i < count; i++) {
    const start = T0 + i * everyMs;
    const wait = start >= slowFrom ? 42 : 2;
    const trace = `t${i}`;
    spans.push(
      {
        traceId: trace,
        spanId: `${trace}f`,
        service: 'frontend',
        operation: 'GET /',
        start,
        durationMs: 20 + wait,
      },
      {
        traceId: trace,
        spanId: `${trace}c`,
        parentId: `${trace}f`,
        service: 'frontend',
        operation: 'GET cart',
        start: start + 1,
        durationMs: 10 + wait,
      },
      {
        traceId: trace,
        spanId: `${trace}s`,
        parentId: `${trace}c`,
        service: 'cart',
        operation: 'GetCart',
        start: start + 2,
        durationMs: 10,
        error: false,
      },
    );
  }
  return spans;
}

const find = (live: LiveTraceEvidence, service: string, metric: string) =>
  live.series().find((s) => s.service === service && s.metric === metric);

describe('LiveTraceEvidence', () => {
  it('shows a slow link from whole traces, which call records cannot (the wait is in neither span alone)', () => {
    const live = new LiveTraceEvidence({ binMs: 10_000, graceMs: 20_000 });
    for (const span of requests(300, 1_000, T0 + 200_000)) live.add(span);

    const wait = find(live, 'frontend', linkWaitMetric('cart'));
    expect(wait?.values[0]).toBeCloseTo(2);
    expect(wait?.values[wait.values.length - 1]).toBeCloseTo(42);
    // cart's own latency did not move: the blame is on the link, seen from both ends
    expect(new Set(find(live, 'cart', 'trace_latency_p90')?.values)).toEqual(new Set([10]));
    expect(find(live, 'cart', linkWaitMetric('frontend'))?.values.at(-1)).toBeCloseTo(42);
  });

  it('reads only the bins that have closed: a bin still filling is not a drop in requests', () => {
    const live = new LiveTraceEvidence({ binMs: 10_000, graceMs: 20_000 });
    for (const span of requests(95, 1_000)) live.add(span);

    // the latest span starts at 94 s: bins that end by 74 s are whole, the 70-80 s bin is not
    const counts = find(live, 'cart', 'trace_request_count');
    expect(counts?.times).toEqual([0, 1, 2, 3, 4, 5, 6].map((b) => T0 + b * 10_000));
    expect(new Set(counts?.values)).toEqual(new Set([10]));
  });

  it('gives the same series whichever service’s spans come first', () => {
    const spans = requests(120, 1_000, T0 + 60_000);
    const inOrder = new LiveTraceEvidence();
    const childrenFirst = new LiveTraceEvidence();
    for (const span of spans) inOrder.add(span);
    for (const span of [
      ...spans.filter((s) => s.service === 'cart'),
      ...spans.filter((s) => s.service !== 'cart'),
    ])
      childrenFirst.add(span);
    const sorted = (live: LiveTraceEvidence) =>
      [...live.series()].sort((a, b) =>
        `${a.service} ${a.metric}`.localeCompare(`${b.service} ${b.metric}`),
      );
    expect(inOrder.series().length).toBeGreaterThan(5);
    expect(sorted(childrenFirst)).toEqual(sorted(inOrder));
  });

  it('is bounded: spans past the history or the count are forgotten, and a clock far ahead is dropped', () => {
    const live = new LiveTraceEvidence({ historyMs: 60_000, aheadMs: 60_000, maxSpans: 100 });
    live.observeClock(T0 + 30_000);
    for (const span of requests(60, 1_000)) live.add(span);
    expect(live.size).toBeLessThanOrEqual(100);
    expect(live.size).toBeGreaterThanOrEqual(90);

    live.observeClock(T0 + 100_000);
    expect(live.size).toBeLessThanOrEqual(3 * 20);
    live.add({ ...requests(1, 1)[0], start: T0 + 100_000 + 3_600_000 });
    live.add({ ...requests(1, 1)[0], start: T0 });
    expect(live.dropped).toBe(2);
  });
});
