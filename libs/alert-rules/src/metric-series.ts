/** One sample kept for evaluation: time in epoch milliseconds. */
export interface Sample {
  readonly t: number;
  readonly v: number;
}

/**
 * One series: a metric name with the batch's service and instance and the sample's labels.
 * Samples are in time order; `lastTime` outlives the samples trimmed from the window, so a
 * silent series can still say when it was last heard from.
 */
export interface MetricSeries {
  readonly key: string;
  readonly metric: string;
  readonly service: string;
  readonly instance?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly Sample[];
  readonly lastTime: number;
}

/**
 * A label of a series as rules see it. The batch's service and instance win over sample labels
 * of the same name (the producer says who it is); a missing label reads as "" as in PromQL.
 */
export function seriesLabel(series: MetricSeries, name: string): string {
  if (name === 'service') return series.service;
  if (name === 'instance') return series.instance ?? '';
  return Object.hasOwn(series.labels, name) ? series.labels[name] : '';
}

/** The identity of a series; JSON, so no label value can imitate a separator. */
export function seriesKey(
  metric: string,
  service: string,
  instance: string | undefined,
  labels: Readonly<Record<string, string>>,
): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name]]);
  return JSON.stringify([metric, service, instance ?? '', pairs]);
}

/** The samples with `from < t <= to` (PromQL's left-open range), found by binary search. */
export function samplesBetween(samples: readonly Sample[], from: number, to: number): Sample[] {
  return samples.slice(firstIndexAfter(samples, from), firstIndexAfter(samples, to));
}

function firstIndexAfter(samples: readonly Sample[], time: number): number {
  let low = 0;
  let high = samples.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (samples[mid].t <= time) low = mid + 1;
    else high = mid;
  }
  return low;
}
