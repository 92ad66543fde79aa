/** Error lines counted in fixed time buckets, with the robust test that says when they burst. */

export interface BurstTestConfig {
  /** Closed buckets the baseline looks back over. */
  historyBuckets: number;
  /** Closed buckets needed (since the service was first seen) before any verdict. */
  minHistoryBuckets: number;
  /** Robust z of the current bucket's count over the baseline that makes a burst. */
  threshold: number;
  /** Error lines the current bucket must hold at least, so 0 -> 2 lines is never a burst. */
  minCount: number;
  /** Buckets at least this many scale units above the median belong to the burst (its onset walks back over them), and a burst ends at the first closed bucket below it. */
  onsetThreshold: number;
}

export interface BurstOpened {
  score: number;
  /** Time of the first error line in the burst's first bucket. */
  onset: number;
  /** Error lines in the burst so far (from its first bucket to now). */
  count: number;
}

interface BucketCount {
  bucket: number;
  count: number;
  firstTime: number;
}

export interface ErrorRateTrackerJson {
  entries: Array<[bucket: number, count: number, firstTime: number]>;
  burst: { openedBucket: number; endLevel: number; checkedUpTo: number } | null;
}

/**
 * Sparse counts (only buckets with errors are stored, at most historyBuckets + 1 of them) so that
 * hundreds of templates per service cost little when most of them rarely log an error.
 */
export class ErrorRateTracker {
  private entries: BucketCount[] = [];
  private burst: ErrorRateTrackerJson['burst'] = null;
  private cachedFor = Number.NaN;
  private cachedMedian = 0;
  private cachedScale = 1;

  /** Bucket of the newest error line, or -Infinity before any. */
  get lastBucket(): number {
    return this.entries.length > 0
      ? this.entries[this.entries.length - 1].bucket
      : Number.NEGATIVE_INFINITY;
  }

  get inBurst(): boolean {
    return this.burst !== null;
  }

  /** Error lines counted in `bucket`. */
  countAt(bucket: number): number {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      if (entry.bucket === bucket) return entry.count;
      if (entry.bucket < bucket) return 0;
    }
    return 0;
  }

  /**
   * Counts one error line at `time` in `bucket` (the caller's current bucket) and returns the burst
   * it opens, if it opens one. `startBucket` is where the service's history begins.
   */
  add(
    bucket: number,
    time: number,
    startBucket: number,
    config: BurstTestConfig,
  ): BurstOpened | undefined {
    this.settleBurst(bucket);
    const last = this.entries[this.entries.length - 1];
    if (last !== undefined && last.bucket === bucket) last.count++;
    else this.entries.push({ bucket, count: 1, firstTime: time });
    this.prune(bucket - config.historyBuckets);
    if (this.burst !== null) return undefined;
    return this.test(bucket, startBucket, config);
  }

  /** A step that puts the tracker back as it is now (its counts, its burst), for UndoSteps. */
  restorer(): () => void {
    const entries = this.entries.map((e) => ({ ...e }));
    const burst = this.burst === null ? null : { ...this.burst };
    const { cachedFor, cachedMedian, cachedScale } = this;
    return () => {
      this.entries = entries;
      this.burst = burst;
      this.cachedFor = cachedFor;
      this.cachedMedian = cachedMedian;
      this.cachedScale = cachedScale;
    };
  }

  toJSON(): ErrorRateTrackerJson {
    return {
      entries: this.entries.map((e) => [e.bucket, e.count, e.firstTime]),
      burst: this.burst === null ? null : { ...this.burst },
    };
  }

  static fromJSON(json: ErrorRateTrackerJson): ErrorRateTracker {
    const tracker = new ErrorRateTracker();
    tracker.entries = json.entries.map(([bucket, count, firstTime]) => ({
      bucket,
      count,
      firstTime,
    }));
    tracker.burst = json.burst === null ? null : { ...json.burst };
    return tracker;
  }

  /** Ends an open burst at the first closed bucket (a gap counts as zero) below its end level. */
  private settleBurst(bucket: number): void {
    const burst = this.burst;
    if (burst === null) return;
    for (let b = burst.checkedUpTo + 1; b < bucket; b++) {
      if (this.countAt(b) < burst.endLevel) {
        this.burst = null;
        return;
      }
      // Only elevated buckets get here, and they are stored ones: the walk is bounded.
      burst.checkedUpTo = b;
    }
  }

  private prune(oldestKept: number): void {
    let drop = 0;
    while (drop < this.entries.length && this.entries[drop].bucket < oldestKept) drop++;
    if (drop > 0) this.entries.splice(0, drop);
  }

  private test(
    bucket: number,
    startBucket: number,
    config: BurstTestConfig,
  ): BurstOpened | undefined {
    const from = Math.max(startBucket, bucket - config.historyBuckets);
    if (bucket - from < config.minHistoryBuckets) return undefined;
    const count = this.countAt(bucket);
    if (count < config.minCount) return undefined;
    this.refreshBaseline(bucket, from);
    const score = (count - this.cachedMedian) / this.cachedScale;
    if (score < config.threshold) return undefined;
    const endLevel = Math.max(1, this.cachedMedian + config.onsetThreshold * this.cachedScale);
    let first = bucket;
    while (first - 1 >= from && this.countAt(first - 1) >= endLevel) first--;
    let total = 0;
    for (let b = first; b <= bucket; b++) total += this.countAt(b);
    this.burst = { openedBucket: bucket, endLevel, checkedUpTo: bucket };
    return { score, onset: this.firstTimeAt(first), count: total };
  }

  /**
   * Median and scale of the closed buckets [from, bucket): the MAD-sigma, but at least the Poisson
   * deviation sqrt(median) and at least one line, since counts of rare errors are mostly zero.
   */
  private refreshBaseline(bucket: number, from: number): void {
    if (this.cachedFor === bucket) return;
    const counts = new Array<number>(bucket - from).fill(0);
    for (const entry of this.entries) {
      if (entry.bucket >= from && entry.bucket < bucket) counts[entry.bucket - from] = entry.count;
    }
    counts.sort((a, b) => a - b);
    const median = middle(counts);
    const deviations = counts.map((c) => Math.abs(c - median)).sort((a, b) => a - b);
    this.cachedMedian = median;
    this.cachedScale = Math.max(1.4826 * middle(deviations), Math.sqrt(median), 1);
    this.cachedFor = bucket;
  }

  private firstTimeAt(bucket: number): number {
    const entry = this.entries.find((e) => e.bucket === bucket);
    return entry === undefined ? Number.NaN : entry.firstTime;
  }
}

function middle(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}
