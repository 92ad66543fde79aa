import { isFiniteNumber } from './finite-number';
/** Order statistics that one outlier cannot move much: the scale of "normal" for anomaly scores. */

export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function sortedCopy(values: readonly number[]): number[] {
  return values.filter((v) => isFiniteNumber(v)).sort((a, b) => a - b);
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
    if (!isFiniteNumber(value)) continue;
    const score = Math.abs(value - center) / scale;
    if (score > best.score) best = { score, direction: value >= center ? 'up' : 'down' };
  }
  return best;
}

function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const value = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > value) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = value;
  }
}

/**
 * Reorders `a[lo..hi]` (inclusive, finite values) so that `a[k]` holds the value a sort would put
 * there, with nothing larger before it and nothing smaller after it. Expected O(n): scoring every
 * series of a large topology cannot afford a sort per series (typed-array sort costs about 10 us
 * for 120 points in V8, selection a fraction of that).
 */
export function selectInPlace(a: Float64Array, k: number, lo = 0, hi = a.length - 1): void {
  while (hi - lo >= 16) {
    const mid = (lo + hi) >>> 1;
    // Median of three as pivot: sorted or flat input then still halves the range.
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
  insertionSort(a, lo, hi);
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** The rank below quantile q of `count` values, as `quantile` interpolates it. */
export function quantileRank(count: number, q: number): number {
  return Math.floor((count - 1) * q);
}

/**
 * Quantile q of `a[0, count)` by selection inside `a[lo..hi]`, which must hold exactly the order
 * statistics lo..hi (the whole array, or one side of an earlier selection); `above` is the value of
 * order statistic hi + 1 when there is one, needed to interpolate at the range's edge.
 */
export function selectQuantile(
  a: Float64Array,
  count: number,
  q: number,
  lo = 0,
  hi = count - 1,
  above = Number.POSITIVE_INFINITY,
): number {
  const position = (count - 1) * q;
  const k = Math.floor(position);
  selectInPlace(a, k, lo, hi);
  const fraction = position - k;
  if (fraction === 0) return a[k];
  let next = above;
  for (let i = k + 1; i <= hi; i++) if (a[i] < next) next = a[i];
  return a[k] + (next - a[k]) * fraction;
}

/**
 * Whether quantile q of `a[0, count)` (as `selectQuantile` computes it) is surely below `bound`,
 * told by counting alone: the order statistics it interpolates between are both under it. A pass
 * of comparisons instead of a selection, for callers that only need the quantile when it is not.
 * False when counting cannot tell (then select).
 */
export function quantileSurelyBelow(
  a: Float64Array,
  count: number,
  q: number,
  bound: number,
): boolean {
  const position = (count - 1) * q;
  const k = Math.floor(position);
  // interpolating toward order statistic k + 1 only when the position lies past k
  const needed = position === k ? k + 1 : k + 2;
  let below = 0;
  for (let i = 0; i < count; i++) if (a[i] < bound) below++;
  return below >= needed;
}

/**
 * The quartiles of `a[0, count)` (finite values), reordering `a`. The median is selected first and
 * the outer quartiles inside its halves: about 2 n of work instead of a sort.
 */
export function quartilesInPlace(
  a: Float64Array,
  count: number,
): { q25: number; q50: number; q75: number } {
  if (count < 8) {
    // With so few points the quartiles' ranks can coincide with the median's; sort instead.
    insertionSort(a, 0, count - 1);
    const sorted = a.subarray(0, count);
    return { q25: quantile(sorted, 0.25), q50: quantile(sorted, 0.5), q75: quantile(sorted, 0.75) };
  }
  const k50 = quantileRank(count, 0.5);
  const q50 = selectQuantile(a, count, 0.5);
  const q25 = selectQuantile(a, count, 0.25, 0, k50 - 1, a[k50]);
  const q75 = selectQuantile(a, count, 0.75, k50 + 1, count - 1);
  return { q25, q50, q75 };
}

/**
 * Median and MAD of `values[0, count)` computed in place (finite values only): the buffer is
 * reordered and then holds absolute deviations. Streaming detectors call this with a reused
 * scratch buffer so they allocate nothing.
 */
export function medianAndMadInPlace(
  values: Float64Array,
  count: number,
): { median: number; mad: number } {
  if (count === 0) return { median: Number.NaN, mad: Number.NaN };
  const center = selectQuantile(values, count, 0.5);
  for (let i = 0; i < count; i++) values[i] = Math.abs(values[i] - center);
  return { median: center, mad: 1.4826 * selectQuantile(values, count, 0.5) };
}
