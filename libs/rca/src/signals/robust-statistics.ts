/** Order statistics that one outlier cannot move much: the scale of "normal" for anomaly scores. */

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function sortedCopy(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
}

export function median(values: readonly number[]): number {
  return quantile(sortedCopy(values), 0.5);
}

/** Median absolute deviation, scaled by 1.4826 so it estimates the standard deviation of normal data. */
export function mad(values: readonly number[]): number {
  const center = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - center)));
}

export function interquartileRange(values: readonly number[]): number {
  const sorted = sortedCopy(values);
  return quantile(sorted, 0.75) - quantile(sorted, 0.25);
}

/**
 * BARO's robust change score of one metric: the largest distance of the anomalous period from the
 * normal period's median, in units of the normal period's interquartile range.
 */
export function robustChangeScore(
  normal: readonly number[],
  anomalous: readonly number[],
  minScale = 1e-6,
): { score: number; direction: 'up' | 'down' } {
  const center = median(normal);
  const scale = Math.max(interquartileRange(normal), minScale);
  let best = { score: 0, direction: 'up' as 'up' | 'down' };
  for (const value of anomalous) {
    if (!Number.isFinite(value)) continue;
    const score = Math.abs(value - center) / scale;
    if (score > best.score) best = { score, direction: value >= center ? 'up' : 'down' };
  }
  return best;
}
