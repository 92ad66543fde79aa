import type { MetricSeries } from '../rca-case';
import { quantile } from '../signals/robust-statistics';
import { type CallRecord, callRecordSeries, ClosingBins } from './call-record-series';

function call(callee: string, time: number, more: Partial<CallRecord> = {}): CallRecord {
  return { caller: 'frontend', callee, time, durationMs: 10, error: false, count: 1, ...more };
}

function valuesOf(series: readonly MetricSeries[], service: string, metric: string) {
  const found = series.find((s) => s.service === service && s.metric === metric);
  return found && { times: found.times, values: found.values };
}

describe('callRecordSeries', () => {
  it('gives latency percentiles of the calls a service answered, an aggregated record counting `count` times', () => {
    const series = callRecordSeries([
      call('db', 1_000, { durationMs: 10, count: 90 }),
      call('db', 2_000, { durationMs: 1_000, count: 10 }),
    ]);
    const p50 = valuesOf(series, 'db', 'trace_latency_p50')?.values[0] ?? NaN;
    const p99 = valuesOf(series, 'db', 'trace_latency_p99')?.values[0] ?? NaN;
    expect(Math.abs(p50 - 10) / 10).toBeLessThan(0.01);
    expect(Math.abs(p99 - 1_000) / 1_000).toBeLessThan(0.01);
    expect(valuesOf(series, 'db', 'trace_request_count')).toEqual({ times: [0], values: [100] });
  });

  it('agrees within 1 % with percentiles over every single call, as span trees give them', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const durations = Array.from({ length: 500 }, () => 5 + 200 * random() ** 3);
    const series = callRecordSeries(durations.map((d, i) => call('cart', i, { durationMs: d })));
    const sorted = [...durations].sort((a, b) => a - b);
    for (const [metric, q] of [
      ['trace_latency_p50', 0.5],
      ['trace_latency_p90', 0.9],
      ['trace_latency_p99', 0.99],
    ] as const) {
      const live = valuesOf(series, 'cart', metric)?.values[0] ?? NaN;
      expect(Math.abs(live - quantile(sorted, q)) / quantile(sorted, q)).toBeLessThan(0.01);
    }
  });

  it('counts the calls and the share in error per callee and bin, from every caller', () => {
    const series = callRecordSeries([
      call('payment', 1_000, { caller: 'checkout', count: 3, error: true }),
      call('payment', 4_000, { caller: 'frontend', count: 1 }),
      call('payment', 12_000, { caller: 'checkout', count: 4 }),
      call('catalog', 2_000, { count: 2 }),
    ]);
    expect(valuesOf(series, 'payment', 'trace_request_count')).toEqual({
      times: [0, 10_000],
      values: [4, 4],
    });
    expect(valuesOf(series, 'payment', 'trace_error_rate')).toEqual({
      times: [0, 10_000],
      values: [0.75, 0],
    });
    expect(valuesOf(series, 'catalog', 'trace_request_count')?.values).toEqual([2]);
    expect(series.some((s) => s.service === 'frontend' || s.service === 'checkout')).toBe(false);
  });

  it('counts calls of unknown duration without making up a latency', () => {
    const series = callRecordSeries([call('queue', 0, { durationMs: undefined, count: 5 })]);
    expect(valuesOf(series, 'queue', 'trace_request_count')?.values).toEqual([5]);
    expect(valuesOf(series, 'queue', 'trace_latency_p90')).toBeUndefined();
  });

  it('reads a zero duration as zero', () => {
    const series = callRecordSeries([call('cache', 0, { durationMs: 0 })]);
    expect(valuesOf(series, 'cache', 'trace_latency_p50')?.values).toEqual([0]);
  });
});

describe('ClosingBins', () => {
  const options = { binMs: 10_000, graceMs: 5_000, aheadMs: 60_000 };
  const counter = () => ({ n: 0 });
  const count = (bins: ClosingBins<{ n: number }>, key: string, time: number) => {
    const value = bins.at(key, time);
    if (value) value.n++;
  };

  it('hands a bin out once a record shows its grace has passed, and only once', () => {
    const bins = new ClosingBins(options, counter);
    count(bins, 'a', 1_000);
    count(bins, 'b', 9_000);
    count(bins, 'a', 14_000);
    expect(bins.closeDue()).toEqual([]);
    count(bins, 'a', 15_000);
    expect(bins.closeDue()).toEqual([
      { key: 'a', time: 0, value: { n: 1 } },
      { key: 'b', time: 0, value: { n: 1 } },
    ]);
    expect(bins.closeDue()).toEqual([]);
  });

  it("hands the last bins out once the stream has been quiet for a minute by the reader's clock, whatever the producers' clocks say", () => {
    const bins = new ClosingBins({ ...options, quietMs: 60_000 }, counter);
    // the reader's clock is an hour ahead of the producers'
    const reader = 3_600_000;
    bins.observeClock(reader);
    count(bins, 'a', 1_000);
    count(bins, 'a', 12_000);
    bins.observeClock(reader + 30_000);
    expect(bins.closeDue()).toEqual([]);
    // a record keeps the stream alive: quiet is counted from the first look at the clock after it
    count(bins, 'b', 13_000);
    bins.observeClock(reader + 80_000);
    bins.observeClock(reader + 130_000);
    expect(bins.closeDue()).toEqual([]);
    bins.observeClock(reader + 141_000);
    expect(bins.closeDue()).toEqual([
      { key: 'a', time: 0, value: { n: 1 } },
      { key: 'a', time: 10_000, value: { n: 1 } },
      { key: 'b', time: 10_000, value: { n: 1 } },
    ]);
  });

  it('never closes a bin early while records keep coming, however long between two looks at the clock', () => {
    const bins = new ClosingBins({ ...options, aheadMs: 3_600_000, quietMs: 60_000 }, counter);
    bins.observeClock(0);
    count(bins, 'a', 1_000);
    // the reader was busy for 70 s, records came all along
    for (let t = 2_000; t < 70_000; t += 1_000) count(bins, 'a', t);
    bins.observeClock(70_000);
    count(bins, 'a', 70_500);
    bins.observeClock(71_000);
    // bins close by the records' own time: those ending 5 s before the latest record
    expect(bins.closeDue().map((b) => b.time)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(bins.dropped).toBe(0);
  });

  it("keeps every partition's records when a backlog is read a partition at a time", () => {
    const bins = new ClosingBins({ ...options, aheadMs: 3_600_000 }, counter);
    bins.expect([0, 1]);
    bins.observeClock(0);
    // partition 0 hands over two minutes of records before partition 1 hands over its own
    for (let t = 0; t < 120_000; t += 1_000) bins.at('a', t, 0);
    expect(bins.closeDue()).toEqual([]);
    for (let t = 0; t < 120_000; t += 1_000) bins.at('b', t, 1);
    expect(bins.dropped).toBe(0);
    const closed = bins.closeDue();
    expect(closed.filter((b) => b.key === 'b')).toHaveLength(11);
    expect(closed.filter((b) => b.key === 'a')).toHaveLength(11);
  });

  it('is not held by a partition that sends only records from a clock far ahead', () => {
    const bins = new ClosingBins({ ...options, aheadMs: 300_000, quietMs: 60_000 }, counter);
    bins.expect([0, 1]);
    bins.observeClock(0);
    for (let t = 0; t < 30_000; t += 1_000) {
      bins.at('a', t, 0);
      bins.at('b', t + 3_600_000, 1);
    }
    // partition 1 never gave a record that could be kept: quiet after a minute, whatever it sends
    bins.observeClock(61_000);
    bins.at('b', 3_700_000, 1);
    bins.at('a', 30_000, 0);
    expect(bins.closeDue().map((b) => b.time)).toEqual([0, 10_000]);
    expect(bins.dropped).toBe(31);
  });

  it('drops a record whose bin has closed, and counts it', () => {
    const bins = new ClosingBins(options, counter);
    bins.at('a', 1_000);
    bins.at('a', 24_000);
    bins.closeDue();
    expect(bins.at('a', 2_000)).toBeUndefined();
    expect(bins.at('a', 12_000)).toBeDefined();
    expect(bins.dropped).toBe(1);
  });

  it('drops a record from far past the reader’s clock instead of closing every bin with it', () => {
    const bins = new ClosingBins(options, counter);
    bins.observeClock(10_000);
    bins.at('a', 1_000);
    expect(bins.at('a', 10_000_000)).toBeUndefined();
    expect(bins.closeDue()).toEqual([]);
    expect(bins.at('a', 2_000)).toBeDefined();
    expect(bins.dropped).toBe(1);
  });
});
