import type { MetricBatch, MetricSample } from '@vigil/contracts';
import { type MetricSeries, type Sample, seriesKey } from './metric-series';

export interface SeriesStoreOptions {
  /** Samples older than this (before the newest one, or before `now` on a sweep) are dropped. */
  retentionMs: number;
  /** A cap per series whatever the retention, against a producer that floods one series. */
  maxSamplesPerSeries: number;
  /** New series beyond this are refused (counted), as Prometheus' sample_limit does. */
  maxSeries: number;
  /** A series silent this long is forgotten: its target is treated as gone for good. */
  forgetAfterMs: number;
}

export interface SeriesStoreStats {
  series: number;
  samples: number;
  /** Samples not newer than the series' newest one: Prometheus refuses them too. */
  droppedOutOfOrder: number;
  droppedUnparsableTime: number;
  droppedSeriesLimit: number;
}

interface StoredSeries extends MetricSeries {
  samples: Sample[];
  lastTime: number;
}

/** The bounded window of recent samples per series that rules are evaluated over. */
export class SeriesStore {
  private readonly byMetric = new Map<string, Map<string, StoredSeries>>();
  private seriesCount = 0;
  private readonly dropped = { outOfOrder: 0, unparsableTime: 0, seriesLimit: 0 };

  constructor(private readonly options: SeriesStoreOptions) {}

  ingest(batch: MetricBatch): void {
    for (const sample of batch.samples) this.add(batch, sample);
    if (batch.final) this.forgetInstance(batch.service, batch.instance);
  }

  /** An instance that stopped on purpose: nothing of it is missing any more. */
  private forgetInstance(service: string, instance: string | undefined): void {
    for (const [metric, series] of this.byMetric) {
      for (const [key, one] of series)
        if (one.service === service && one.instance === instance) {
          series.delete(key);
          this.seriesCount--;
        }
      if (series.size === 0) this.byMetric.delete(metric);
    }
  }

  /** Every series of a metric, in the order they were first seen. */
  seriesOf(metric: string): Iterable<MetricSeries> {
    return this.byMetric.get(metric)?.values() ?? [];
  }

  /** Drops samples older than the retention and series silent past `forgetAfterMs`. */
  sweep(nowMs: number): void {
    for (const [metric, series] of this.byMetric) {
      for (const [key, one] of series) {
        if (nowMs - one.lastTime > this.options.forgetAfterMs) {
          series.delete(key);
          this.seriesCount--;
        } else {
          dropBefore(one.samples, nowMs - this.options.retentionMs);
        }
      }
      if (series.size === 0) this.byMetric.delete(metric);
    }
  }

  stats(): SeriesStoreStats {
    let samples = 0;
    for (const series of this.byMetric.values())
      for (const one of series.values()) samples += one.samples.length;
    return {
      series: this.seriesCount,
      samples,
      droppedOutOfOrder: this.dropped.outOfOrder,
      droppedUnparsableTime: this.dropped.unparsableTime,
      droppedSeriesLimit: this.dropped.seriesLimit,
    };
  }

  private add(batch: MetricBatch, sample: MetricSample): void {
    const t = parseTime(sample.time);
    if (Number.isNaN(t)) {
      this.dropped.unparsableTime++;
      return;
    }
    const series = this.seriesFor(batch, sample);
    if (!series) return;
    if (series.samples.length > 0 && t <= series.lastTime) {
      this.dropped.outOfOrder++;
      return;
    }
    series.samples.push({ t, v: sample.value });
    series.lastTime = t;
    this.trim(series);
  }

  private trim(series: StoredSeries): void {
    dropBefore(series.samples, series.lastTime - this.options.retentionMs);
    const excess = series.samples.length - this.options.maxSamplesPerSeries;
    if (excess > 0) series.samples.splice(0, excess);
  }

  private seriesFor(batch: MetricBatch, sample: MetricSample): StoredSeries | undefined {
    const labels = sample.labels ?? {};
    const key = seriesKey(sample.name, batch.service, batch.instance, labels);
    let series = this.byMetric.get(sample.name);
    const existing = series?.get(key);
    if (existing) return existing;
    if (this.seriesCount >= this.options.maxSeries) {
      this.dropped.seriesLimit++;
      return undefined;
    }
    if (!series) {
      series = new Map();
      this.byMetric.set(sample.name, series);
    }
    const created = newSeries(key, sample.name, batch, labels);
    series.set(key, created);
    this.seriesCount++;
    return created;
  }
}

function newSeries(
  key: string,
  metric: string,
  batch: MetricBatch,
  labels: Readonly<Record<string, string>>,
): StoredSeries {
  return {
    key,
    metric,
    service: batch.service,
    ...(batch.instance === undefined ? {} : { instance: batch.instance }),
    labels: { ...labels },
    samples: [],
    lastTime: Number.NEGATIVE_INFINITY,
  };
}

function dropBefore(samples: Sample[], cut: number): void {
  let count = 0;
  while (count < samples.length && samples[count].t < cut) count++;
  if (count > 0) samples.splice(0, count);
}

/** RFC 3339 as the contract allows it; digits past milliseconds are not in ECMAScript's format. */
export function parseTime(time: string): number {
  return Date.parse(time.replace(/(\.\d{3})\d+/, '$1'));
}
