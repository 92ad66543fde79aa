import type { MetricSeries } from '../rca-case';
import { StreamTime, type StreamTimeOptions } from './stream-time';

/**
 * One observed call, or `count` calls aggregated by a reporter, as `vigil.spans.v1` carries them
 * (time in epoch ms). Unlike a span tree it says nothing of what the callee did inside: only what
 * its callers saw.
 */
export interface CallRecord {
  caller: string;
  callee: string;
  time: number;
  /** The call's duration, or the mean of the `count` calls; unknown for some reporters. */
  durationMs?: number;
  error: boolean;
  count: number;
}

/** Relative accuracy of the latency percentiles: every duration is kept within 1 % of its value. */
const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);

/**
 * Durations of one bin as counts per logarithmic bucket: bounded memory whatever the call rate
 * (a few hundred buckets at most from 1 µs to a day), and weighted by `count` for free.
 */
class LatencyHistogram {
  private readonly buckets = new Map<number, number>();
  private total = 0;

  add(durationMs: number, count: number): void {
    const bucket = durationMs <= 0 ? -Infinity : Math.ceil(Math.log(durationMs) / LOG_GAMMA);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + count);
    this.total += count;
  }

  get size(): number {
    return this.total;
  }

  /**
   * Quantiles as `quantile` of robust-statistics computes them over every duration listed
   * (interpolating between neighbouring ranks), with each duration read back from its bucket.
   */
  quantiles(qs: readonly number[]): number[] {
    const sorted = [...this.buckets.entries()].sort((a, b) => a[0] - b[0]);
    const valueAt = (rank: number): number => {
      let seen = 0;
      for (const [bucket, count] of sorted) {
        seen += count;
        if (rank < seen) return bucketValue(bucket);
      }
      return bucketValue(sorted[sorted.length - 1]?.[0] ?? -Infinity);
    };
    return qs.map((q) => {
      const position = (this.total - 1) * Math.min(1, Math.max(0, q));
      const low = valueAt(Math.floor(position));
      const high = valueAt(Math.ceil(position));
      return low + (high - low) * (position - Math.floor(position));
    });
  }
}

/** The middle of a bucket, in relative terms: its value is within (GAMMA - 1) / (GAMMA + 1) of any duration in it. */
function bucketValue(bucket: number): number {
  return bucket === -Infinity ? 0 : (2 * GAMMA ** bucket) / (GAMMA + 1);
}

/** One callee's calls in one time bin. */
export class CallBin {
  private requests = 0;
  private errors = 0;
  private readonly latency = new LatencyHistogram();

  add(record: Pick<CallRecord, 'durationMs' | 'error' | 'count'>): void {
    this.requests += record.count;
    if (record.error) this.errors += record.count;
    if (record.durationMs !== undefined) this.latency.add(record.durationMs, record.count);
  }

  /**
   * The bin's points under the names span-evidence gives the same measures, so the ranker reads
   * both alike: latency percentiles of the calls the service answered (weighted by count; an
   * aggregated record counts its mean `count` times), how many, and the share in error.
   */
  points(): { metric: string; value: number }[] {
    const out: { metric: string; value: number }[] = [];
    if (this.latency.size > 0) {
      const [p50, p90, p99] = this.latency.quantiles([0.5, 0.9, 0.99]);
      out.push(
        { metric: 'trace_latency_p50', value: p50 },
        { metric: 'trace_latency_p90', value: p90 },
        { metric: 'trace_latency_p99', value: p99 },
      );
    }
    out.push(
      { metric: 'trace_request_count', value: this.requests },
      { metric: 'trace_error_rate', value: this.requests === 0 ? 0 : this.errors / this.requests },
    );
    return out;
  }
}

/**
 * Per callee service and time bin, the series call records allow of those span trees give
 * (`trace_latency_p50/p90/p99`, `trace_request_count`, `trace_error_rate`); one point per bin
 * that has calls, as span-evidence does.
 */
export function callRecordSeries(records: readonly CallRecord[], binMs = 10_000): MetricSeries[] {
  const bins = new Map<string, Map<number, CallBin>>();
  for (const record of records) {
    let perBin = bins.get(record.callee);
    if (!perBin) bins.set(record.callee, (perBin = new Map()));
    const bin = Math.floor(record.time / binMs) * binMs;
    let calls = perBin.get(bin);
    if (!calls) perBin.set(bin, (calls = new CallBin()));
    calls.add(record);
  }
  const out = new Map<string, MetricSeries>();
  for (const [service, perBin] of bins)
    for (const time of [...perBin.keys()].sort((a, b) => a - b))
      for (const { metric, value } of perBin.get(time)?.points() ?? []) {
        const key = `${service}\u0000${metric}`;
        let series = out.get(key);
        if (!series) out.set(key, (series = { service, metric, times: [], values: [] }));
        series.times.push(time);
        series.values.push(value);
      }
  return [...out.values()];
}

/** Bins, and the stream's time they close on: its quiet and spread are {@link StreamTime}'s. */
export interface ClosingBinsOptions extends StreamTimeOptions {
  binMs: number;
  /**
   * How long after a bin ends (by the stream's time) records may still arrive for it: records
   * come from several producers and partitions, a little apart.
   */
  graceMs: number;
  /**
   * Records further than this past the reader's clock ({@link ClosingBins.observeClock}) are
   * dropped: one record from a clock far ahead would otherwise close every bin at once.
   */
  aheadMs: number;
}

export interface ClosedBin<A> {
  key: string;
  /** The bin's start, epoch ms. */
  time: number;
  value: A;
}

/**
 * Accumulators per key and time bin for a live stream: a bin closes, and is handed out once, when
 * the stream's time ({@link StreamTime}: the slowest partition's latest record) is `graceMs` past
 * its end; a record for a bin already closed is dropped (and counted). Only the bins still open
 * are held, so memory stays bounded by keys, not time. Time is the records' own, so the
 * producers' clocks and the reader's need not agree.
 */
export class ClosingBins<A> {
  private readonly open = new Map<number, Map<string, A>>();
  private readonly time: StreamTime;
  /** Bins that start before this have closed. */
  private closedBefore = -Infinity;
  private clock = Infinity;
  /** Records that came after their bin had closed, or from too far ahead. */
  dropped = 0;

  constructor(
    private readonly options: ClosingBinsOptions,
    private readonly create: () => A,
  ) {
    this.time = new StreamTime(options);
  }

  /** The partitions the reader holds now: each holds the stream's time back ({@link StreamTime}). */
  expect(partitions: readonly number[]): void {
    this.time.expect(partitions);
  }

  /**
   * The accumulator of `key`'s bin that `time` falls in, for a record read from `partition`;
   * undefined when that bin has closed.
   */
  at(key: string, time: number, partition = 0): A | undefined {
    const bin = Math.floor(time / this.options.binMs) * this.options.binMs;
    // a record from a clock far ahead says nothing of where its partition is: it never counts
    if (!Number.isFinite(bin) || time > this.clock + this.options.aheadMs) {
      this.dropped++;
      return undefined;
    }
    // a late one does: its partition is behind, and holds the time (at most maxSpreadMs)
    this.time.arrival(partition, time);
    if (bin < this.closedBefore) {
      this.dropped++;
      return undefined;
    }
    let perKey = this.open.get(bin);
    if (!perKey) this.open.set(bin, (perKey = new Map()));
    let value = perKey.get(key);
    if (!value) perKey.set(key, (value = this.create()));
    return value;
  }

  /**
   * The reader's time now (epoch ms): the reference for records from too far ahead, and for how
   * long the stream has been quiet. Only the reader's own clock is compared with itself, so the
   * producers' clocks still need not agree with it.
   */
  observeClock(now: number): void {
    this.clock = now;
    this.time.look(now);
  }

  /** The stream's time ({@link StreamTime}), -Infinity before its first record. */
  streamTime(): number {
    return this.time.now();
  }

  /** The bins that can no longer receive records, oldest first; each is handed out once. */
  closeDue(): ClosedBin<A>[] {
    const { binMs, graceMs } = this.options;
    // a bin closes once its end lies graceMs behind the stream's time
    const before = Math.floor((this.time.now() - graceMs) / binMs) * binMs;
    if (!(before > this.closedBefore)) return [];
    this.closedBefore = before;
    const due = [...this.open.keys()].filter((bin) => bin < before).sort((a, b) => a - b);
    const out: ClosedBin<A>[] = [];
    for (const time of due) {
      for (const [key, value] of this.open.get(time) ?? []) out.push({ key, time, value });
      this.open.delete(time);
    }
    return out;
  }
}
