import type { MetricSeries } from './rca-case';

/**
 * The series of one case from two sources: what the stream holds (`vigil.metrics.v1`, kept by
 * apps/rca since it started) and what a metrics store answers for the same window (Prometheus).
 * A series only one source has is taken as it is. A series both have (same entity and name) is
 * one series, never two: counted twice it would weigh twice in the ranking. The stream's points
 * win over the span they cover; the store's points before it are put in front (a service apps/rca
 * has watched for a minute still has the history its normal behaviour is read from) and its points
 * after it behind (a service that stopped publishing, as a crashed one does, is still seen: `up` 0).
 */
export function mergeMetricSeries(
  streamed: readonly MetricSeries[],
  stored: readonly MetricSeries[],
): MetricSeries[] {
  const byKey = new Map<string, MetricSeries>();
  for (const series of stored) byKey.set(keyOf(series), series);
  const merged: MetricSeries[] = [];
  for (const series of streamed) {
    const key = keyOf(series);
    const older = byKey.get(key);
    byKey.delete(key);
    merged.push(older ? around(older, series) : series);
  }
  return [...merged, ...byKey.values()];
}

const keyOf = (series: MetricSeries) => `${series.service}\u0000${series.metric}`;

/** The stored points before and after the span of the streamed ones, around them. */
function around(stored: MetricSeries, series: MetricSeries): MetricSeries {
  if (series.times.length === 0) return stored;
  const first = series.times[0];
  const last = series.times[series.times.length - 1];
  const before = stored.times.findIndex((t) => t >= first);
  const head = before < 0 ? stored.times.length : before;
  let tail = stored.times.length;
  while (tail > head && stored.times[tail - 1] > last) tail--;
  const after = stored.times.length - tail;
  if (head === 0 && after === 0) return series;
  const times = [...stored.times.slice(0, head), ...series.times, ...stored.times.slice(tail)];
  const values = [...stored.values.slice(0, head), ...series.values, ...stored.values.slice(tail)];
  if (head === 0) return { ...series, times, values };
  // the stream's baseline saw only the stream's points: with older history it is recomputed
  const { baseline: _streamBaseline, ...rest } = series;
  return { ...rest, times, values };
}
