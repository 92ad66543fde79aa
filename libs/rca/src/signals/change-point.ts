/**
 * The most likely single shift in mean within `values[from, to)`: the index of the first point of
 * the shifted segment and the likelihood-ratio statistic of that split. For a Gaussian mean change
 * with equal, known variance the log-likelihood ratio of a split at tau is monotone in
 * sqrt(l * r / n) * |mean(right) - mean(left)|, so one pass over prefix sums finds the best split:
 * O(n) and no allocation, which is what lets it run on every series of a large topology. The loop
 * compares squared statistics, which rank the same, to keep a square root out of it.
 */
export function meanShiftChangePoint(
  values: ArrayLike<number>,
  from = 0,
  to = values.length,
): { index: number; statistic: number } {
  const n = to - from;
  if (n < 2) return { index: from, statistic: 0 };
  let total = 0;
  for (let i = from; i < to; i++) total += values[i];
  let left = 0;
  let bestIndex = from;
  let bestSquared = 0;
  for (let tau = from + 1; tau < to; tau++) {
    left += values[tau - 1];
    const l = tau - from;
    const r = n - l;
    const shift = (total - left) / r - left / l;
    const squared = ((l * r) / n) * shift * shift;
    if (squared > bestSquared) {
      bestIndex = tau;
      bestSquared = squared;
    }
  }
  return { index: bestIndex, statistic: Math.sqrt(bestSquared) };
}
