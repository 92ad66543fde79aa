// Which stretches of time a recording covers. Nezha's log files are snippets, a few minutes around
// each injection; a count series built across them reads the unrecorded minutes as zeros (a
// silent service), and one cut to the last snippet sees a minute of history where a deployment
// would have an hour. Points inside the recorded stretches are data; the gaps are no data at all.
import { defaultEvidenceStoreOptions, type MetricSeries } from '@vigil/rca';

/** The bins of log volume: logLineSeries' and apps/rca's evidence store's. */
export const LOG_BIN_MS = defaultEvidenceStoreOptions.telemetryBinMs;

/** Two files of a recording at most this far apart are one stretch (the next minute's file). */
export const JOIN_MS = 10_000;

export interface Interval {
  from: number;
  to: number;
}

/**
 * The stretches the files cover, each file from its first record to its last; files whose
 * stretches overlap or lie at most `joinMs` apart are one stretch. Files without records cover
 * nothing.
 */
export function recordedIntervals(
  fileTimes: ReadonlyArray<readonly number[]>,
  joinMs: number,
): Interval[] {
  const spans = fileTimes
    .filter((times) => times.length > 0)
    .map((times) => extent(times))
    .sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.from - last.to <= joinMs) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

/**
 * The series' points whose bin (`binMs` from the point's time) is mostly recorded: its middle lies
 * in one of the intervals. A bin cut by a snippet's edge counts only the part recorded, so the
 * edge bins that are mostly outside are dropped, not read as a dip.
 */
export function recordedPoints(
  series: MetricSeries,
  intervals: readonly Interval[],
  binMs: number,
): MetricSeries {
  return pointsWhere(series, (t) =>
    intervals.some((i) => t + binMs / 2 >= i.from && t + binMs / 2 <= i.to),
  );
}

/** The series' points from `from` to `to`, both included. */
export function windowed(series: MetricSeries, from: number, to = Infinity): MetricSeries {
  return pointsWhere(series, (t) => t >= from && t <= to);
}

function pointsWhere(series: MetricSeries, keep: (time: number) => boolean): MetricSeries {
  const kept = series.times.flatMap((t, i) => (keep(t) ? [i] : []));
  return {
    ...series,
    times: kept.map((i) => series.times[i]),
    values: kept.map((i) => series.values[i]),
  };
}

function extent(times: readonly number[]): Interval {
  let from = Infinity;
  let to = -Infinity;
  for (const t of times) {
    if (t < from) from = t;
    if (t > to) to = t;
  }
  return { from, to };
}
