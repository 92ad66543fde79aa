import type { MetricSeries } from '../rca-case';
import { linkWaitMetric, spanEvidence } from './span-evidence';
import type { SpanRecord } from './telemetry-records';

let nextId = 0;
function span(
  service: string,
  start: number,
  durationMs: number,
  more: Partial<SpanRecord> = {},
): SpanRecord {
  return {
    traceId: 't',
    spanId: `s${++nextId}`,
    service,
    operation: 'op',
    start,
    durationMs,
    ...more,
  };
}

function seriesOf(series: readonly MetricSeries[], service: string, metric: string) {
  const found = series.find((s) => s.service === service && s.metric === metric);
  return found && { times: found.times, values: found.values };
}

/**
 * frontend: root F (100 ms) -> in-service client span F2 (50 ms) -> cart entry C (40 ms)
 * cart: C -> in-service C2 (10 ms) -> redis entry R (5 ms)
 */
function shopTrace(offset = 0) {
  const f = span('frontend', offset, 100);
  const f2 = span('frontend', offset + 10, 50, { parentId: f.spanId });
  const c = span('cart', offset + 15, 40, { parentId: f2.spanId });
  const c2 = span('cart', offset + 20, 10, { parentId: c.spanId });
  const r = span('redis', offset + 21, 5, { parentId: c2.spanId });
  return [f, f2, c, c2, r];
}

describe('spanEvidence', () => {
  it('counts entry spans only: in-service children are not requests', () => {
    const { series, spansPerService } = spanEvidence(shopTrace());
    expect(seriesOf(series, 'frontend', 'trace_request_count')).toEqual({
      times: [0],
      values: [1],
    });
    expect(seriesOf(series, 'cart', 'trace_request_count')?.values).toEqual([1]);
    expect(seriesOf(series, 'cart', 'trace_latency_p50')?.values).toEqual([40]);
    expect(seriesOf(series, 'redis', 'trace_latency_p50')?.values).toEqual([5]);
    expect(spansPerService).toEqual(
      new Map([
        ['frontend', 2],
        ['cart', 2],
        ['redis', 1],
      ]),
    );
  });

  it('gives latency percentiles and request counts per time bin', () => {
    const spans = [10, 20, 30, 40, 50].map((d, i) => span('api', 1_000 + i, d));
    spans.push(span('api', 5_200, 100));
    const { series } = spanEvidence(spans, { binMs: 5_000 });
    expect(seriesOf(series, 'api', 'trace_latency_p50')).toEqual({
      times: [0, 5_000],
      values: [30, 100],
    });
    expect(seriesOf(series, 'api', 'trace_latency_p90')?.values).toEqual([46, 100]);
    expect(seriesOf(series, 'api', 'trace_latency_p99')?.values[0]).toBeCloseTo(49.6);
    expect(seriesOf(series, 'api', 'trace_request_count')?.values).toEqual([5, 1]);
  });

  it('gives the error rate of entry spans that say whether they failed', () => {
    const spans = [
      span('api', 0, 1, { error: true }),
      span('api', 1, 1, { error: false }),
      span('api', 2, 1, { error: false }),
      span('api', 3, 1, { error: false }),
      span('api', 4, 1),
    ];
    const { series } = spanEvidence(spans);
    expect(seriesOf(series, 'api', 'trace_error_rate')?.values).toEqual([0.25]);
    expect(seriesOf(spanEvidence([span('quiet', 0, 1)]).series, 'quiet', 'trace_error_rate')).toBe(
      undefined,
    );
  });

  it('draws CALLS edges from a parent in one service to a child in another, once each', () => {
    const { edges } = spanEvidence([...shopTrace(), ...shopTrace(10_000)]);
    expect(edges).toEqual([
      { from: 'frontend', to: 'cart', type: 'CALLS' },
      { from: 'cart', to: 'redis', type: 'CALLS' },
    ]);
  });

  it('puts the network wait (client span minus callee span) on both ends of each link', () => {
    const { series } = spanEvidence(shopTrace());
    // frontend -> cart: F2 50 ms - C 40 ms; cart -> redis: C2 10 ms - R 5 ms
    expect(seriesOf(series, 'frontend', linkWaitMetric('cart'))?.values).toEqual([10]);
    expect(seriesOf(series, 'cart', linkWaitMetric('frontend'))?.values).toEqual([10]);
    expect(seriesOf(series, 'cart', linkWaitMetric('redis'))?.values).toEqual([5]);
    expect(seriesOf(series, 'redis', linkWaitMetric('cart'))?.values).toEqual([5]);
    expect(seriesOf(series, 'frontend', linkWaitMetric('redis'))).toBeUndefined();
  });

  it('finds each parent in its own trace where tracers number spans per trace', () => {
    // two requests, each trace numbering its spans from 1: span 2's parent is the 1 of its trace
    const request = (traceId: string, start: number, apiMs: number, dbMs: number) => [
      { traceId, spanId: '1', service: 'api', operation: 'get', start, durationMs: apiMs },
      {
        traceId,
        spanId: '2',
        parentId: '1',
        service: 'db',
        operation: 'q',
        start,
        durationMs: dbMs,
      },
    ];
    const { series } = spanEvidence([...request('a', 0, 100, 40), ...request('b', 5_000, 30, 20)]);
    expect(seriesOf(series, 'api', 'trace_request_count')?.values).toEqual([1, 1]);
    expect(seriesOf(series, 'db', 'trace_request_count')?.values).toEqual([1, 1]);
    expect(seriesOf(series, 'api', linkWaitMetric('db'))?.values).toEqual([60, 10]);
  });

  it('counts no network wait where the parent has several children or is shorter than the child', () => {
    const f = span('frontend', 0, 100);
    const twoChildren = [f, span('cart', 1, 40, { parentId: f.spanId })];
    twoChildren.push(span('ads', 2, 30, { parentId: f.spanId }));
    const client = span('cart', 0, 10);
    // clocks of two hosts disagree: the callee looks longer than the call
    const skewed = [client, span('redis', 1, 12, { parentId: client.spanId })];
    const { series } = spanEvidence([...twoChildren, ...skewed]);
    expect(series.filter((s) => s.metric.startsWith('trace_link_wait'))).toEqual([]);
  });

  it("counts calls out per request, made anywhere in the entry span's own work", () => {
    const { series } = spanEvidence([...shopTrace(), ...shopTrace(1_000)]);
    expect(seriesOf(series, 'frontend', 'trace_calls_out_per_request')?.values).toEqual([1]);
    expect(seriesOf(series, 'cart', 'trace_calls_out_per_request')?.values).toEqual([1]);
    expect(seriesOf(series, 'redis', 'trace_calls_out_per_request')?.values).toEqual([0]);

    // two requests to checkout: one calls payment and shipping from nested spans, one fails early
    const full = span('checkout', 0, 50);
    const inner = span('checkout', 1, 40, { parentId: full.spanId });
    const deeper = span('checkout', 2, 30, { parentId: inner.spanId });
    const cut = span('checkout', 100, 5);
    const spans = [
      full,
      inner,
      deeper,
      span('payment', 3, 10, { parentId: inner.spanId }),
      span('shipping', 4, 10, { parentId: deeper.spanId }),
      cut,
    ];
    const checkout = seriesOf(
      spanEvidence(spans).series,
      'checkout',
      'trace_calls_out_per_request',
    );
    expect(checkout?.values).toEqual([1]); // (2 + 0) / 2
  });

  it('sees requests whose calls change (an exception before the cart call) as new paths', () => {
    // a request every 2 s for 15 min; from minute 12 every other request stops before the cart
    const spans: SpanRecord[] = [];
    for (let t = 0; t < 900_000; t += 2_000) {
      const trace = shopTrace(t);
      spans.push(...(t >= 720_000 && t % 4_000 === 0 ? trace.slice(0, 2) : trace));
    }
    const novelty = spanEvidence(spans).series.find(
      (s) => s.service === 'frontend' && s.metric === 'trace_path_novelty',
    );
    if (!novelty) throw new Error('no trace_path_novelty for frontend');
    expect(novelty.windowMs).toBe(60_000);
    const at = (from: number, to: number) =>
      novelty.values.filter((_, i) => novelty.times[i] >= from && novelty.times[i] < to);
    expect(Math.max(...at(0, 720_000))).toBe(0);
    expect(Math.max(...at(720_000, 780_000))).toBeGreaterThan(0.4);
    // cart, whose own requests did not change, keeps its paths
    const cart = spanEvidence(spans).series.find(
      (s) => s.service === 'cart' && s.metric === 'trace_path_novelty',
    );
    expect(Math.max(...(cart?.values ?? [1]))).toBe(0);
  });
});
