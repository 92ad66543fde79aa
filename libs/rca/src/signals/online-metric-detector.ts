import { isFiniteNumber } from './finite-number';
import { meanShiftChangePoint } from './change-point';
import { medianAndMadInPlace, selectQuantile } from './robust-statistics';
import { TimeValueRing, type TimeValueRingJson } from './time-value-ring';

export interface OnlineMetricDetectorConfig {
  /**
   * Points in the reference window. Long enough that its median and MAD are stable (120 points is
   * 30 min at a 15 s scrape), short enough to follow daily drift and to bound memory per series.
   */
  baselineSize: number;
  /** No verdicts before the reference holds this many points: a MAD of a handful of points is noise. */
  minBaselinePoints: number;
  /** The recent points under test (n). They stay out of the reference until they leave this window. */
  windowSize: number;
  /** How many of the recent points (k of n) must be beyond the threshold, so one spike is no anomaly. */
  minExceeding: number;
  /**
   * Robust z (distance from the reference median in MAD-sigmas) a point must reach. Four sigmas
   * with k-of-n persistence keeps false alarms on noisy, heavy-tailed metrics rare.
   */
  threshold: number;
  /** Hysteresis: a point counts as recovered only below this, so a series hovering near the threshold cannot flap. */
  recoveryThreshold: number;
  /** Consecutive recovered points that end an anomaly; at least windowSize, so stale points cannot reopen it at once. */
  recoveryPoints: number;
  /** An open anomaly is reported again (escalated) when a point's score reaches this multiple of the last reported score. */
  escalationFactor: number;
  /**
   * After this many points an unrecovered shift is the new normal (a deploy, a resize): the
   * reference is rebuilt from the shifted points and the detector re-arms instead of staying stuck.
   */
  maxAnomalyPoints: number;
  /** How far back (points) the onset search looks: the change may have begun below the threshold. */
  onsetLookback: number;
  /** Points before the change point that are still this far out belong to the shift (a ramp's start). */
  onsetBacktrackThreshold: number;
  /**
   * The smallest scale as a share of the level: a flat series has a MAD of zero, and without a
   * floor the smallest wiggle of it would be an anomaly of unbounded score.
   */
  relativeScaleFloor: number;
}

export const defaultOnlineMetricDetectorConfig: OnlineMetricDetectorConfig = {
  baselineSize: 120,
  minBaselinePoints: 20,
  windowSize: 5,
  minExceeding: 3,
  threshold: 4,
  recoveryThreshold: 2,
  recoveryPoints: 5,
  escalationFactor: 2,
  maxAnomalyPoints: 120,
  onsetLookback: 30,
  onsetBacktrackThreshold: 1.5,
  relativeScaleFloor: 0.01,
};

export interface MetricAnomaly {
  /** `opened` once per shift; `escalated` when the same shift grew a lot since it was reported. */
  kind: 'opened' | 'escalated';
  score: number;
  direction: 'up' | 'down';
  /** When the shift began (the change point), at or before the first point beyond the threshold. */
  onset: number;
  /** The anomalous data seen so far: from the onset to the point that triggered this report. */
  window: { start: number; end: number };
  detectedAt: number;
}

export type OnlineMetricState = 'learning' | 'normal' | 'anomalous';

interface ActiveAnomaly {
  onset: number;
  direction: 'up' | 'down';
  reportedScore: number;
  points: number;
  recoveredRun: number;
}

export interface OnlineMetricDetectorSnapshot {
  version: 1;
  config: OnlineMetricDetectorConfig;
  lastTime: number | null;
  baseline: TimeValueRingJson;
  recent: TimeValueRingJson;
  held: TimeValueRingJson;
  anomaly: ActiveAnomaly | null;
}

/** Clip for robust z in the onset search, so one spike cannot decide where a shift began. */
const ONSET_CLIP = 10;
const ABSOLUTE_SCALE_FLOOR = 1e-12;

// Shared by all detectors: statistics are recomputed into it, and JavaScript is single-threaded.
let scratch: Float64Array = new Float64Array(256);

function validate(config: OnlineMetricDetectorConfig): void {
  const problems: string[] = [];
  if (config.minExceeding < 1 || config.minExceeding > config.windowSize)
    problems.push('minExceeding must be between 1 and windowSize');
  if (config.minBaselinePoints < 3 || config.minBaselinePoints > config.baselineSize)
    problems.push('minBaselinePoints must be between 3 and baselineSize');
  if (config.recoveryPoints < config.windowSize)
    problems.push('recoveryPoints must be at least windowSize');
  if (config.recoveryThreshold > config.threshold)
    problems.push('recoveryThreshold must not exceed threshold');
  if (config.maxAnomalyPoints < config.minBaselinePoints + config.windowSize)
    problems.push('maxAnomalyPoints must be at least minBaselinePoints + windowSize');
  if (problems.length > 0)
    throw new RangeError(`invalid online metric config: ${problems.join('; ')}`);
}

/**
 * Streaming shift detector for one (service, metric) series. Points are tested against a robust
 * reference (median and MAD) of older points that excludes the points under test; an anomaly
 * opens when k of the last n points are beyond the threshold, dates its onset by the change point,
 * is reported once (plus escalations) and re-arms when the series is back to normal. Memory is
 * bounded by the config; `snapshot()` and `restore()` carry the state across restarts.
 */
export class OnlineMetricDetector {
  readonly config: OnlineMetricDetectorConfig;
  private readonly baseline: TimeValueRing;
  private readonly recent: TimeValueRing;
  /** Points that left the test window during an anomaly: not normal, kept apart from the reference. */
  private readonly held: TimeValueRing;
  private lastTime = Number.NEGATIVE_INFINITY;
  private anomaly: ActiveAnomaly | null = null;
  private statsValid = false;
  private median = 0;
  private scale = 1;

  constructor(config: Partial<OnlineMetricDetectorConfig> = {}) {
    this.config = { ...defaultOnlineMetricDetectorConfig, ...config };
    validate(this.config);
    this.baseline = new TimeValueRing(this.config.baselineSize);
    this.recent = new TimeValueRing(this.config.windowSize);
    this.held = new TimeValueRing(this.config.maxAnomalyPoints);
  }

  get state(): OnlineMetricState {
    if (this.anomaly !== null) return 'anomalous';
    return this.baseline.length < this.config.minBaselinePoints ? 'learning' : 'normal';
  }

  /**
   * Feeds one point; returns a report when a shift opens or escalates. Points out of time order
   * and non-finite values are ignored: a retried batch must not count twice.
   */
  observe(time: number, value: number): MetricAnomaly | undefined {
    if (!isFiniteNumber(time) || !isFiniteNumber(value) || time <= this.lastTime) return undefined;
    this.lastTime = time;
    this.admit(time, value);
    if (this.baseline.length < this.config.minBaselinePoints) return undefined;
    this.refreshStats();
    if (this.anomaly === null) return this.tryOpen(time);
    return this.follow(this.anomaly, time, value);
  }

  snapshot(): OnlineMetricDetectorSnapshot {
    return {
      version: 1,
      config: { ...this.config },
      lastTime: isFiniteNumber(this.lastTime) ? this.lastTime : null,
      baseline: this.baseline.toJSON(),
      recent: this.recent.toJSON(),
      held: this.held.toJSON(),
      anomaly: this.anomaly === null ? null : { ...this.anomaly },
    };
  }

  /**
   * An independent copy in the same state, cheaper than `restore(snapshot())`: a caller keeps one
   * to put the series back as it was when what it observed since must be undone.
   */
  clone(): OnlineMetricDetector {
    const copy = new OnlineMetricDetector(this.config);
    copy.baseline.copyFrom(this.baseline);
    copy.recent.copyFrom(this.recent);
    copy.held.copyFrom(this.held);
    copy.lastTime = this.lastTime;
    copy.anomaly = this.anomaly === null ? null : { ...this.anomaly };
    copy.statsValid = this.statsValid;
    copy.median = this.median;
    copy.scale = this.scale;
    return copy;
  }

  static restore(snapshot: OnlineMetricDetectorSnapshot): OnlineMetricDetector {
    if (snapshot.version !== 1)
      throw new Error(`unknown online metric snapshot version ${String(snapshot.version)}`);
    const detector = new OnlineMetricDetector(snapshot.config);
    const { config } = detector;
    copyInto(detector.baseline, TimeValueRing.fromJSON(config.baselineSize, snapshot.baseline));
    copyInto(detector.recent, TimeValueRing.fromJSON(config.windowSize, snapshot.recent));
    copyInto(detector.held, TimeValueRing.fromJSON(config.maxAnomalyPoints, snapshot.held));
    detector.lastTime = snapshot.lastTime ?? Number.NEGATIVE_INFINITY;
    detector.anomaly = snapshot.anomaly === null ? null : { ...snapshot.anomaly };
    return detector;
  }

  /** The new point joins the test window; the one it pushes out joins the reference, unless anomalous. */
  private admit(time: number, value: number): void {
    if (this.recent.full) {
      const target = this.anomaly === null ? this.baseline : this.held;
      target.push(this.recent.time(0), this.recent.value(0));
      if (target === this.baseline) this.statsValid = false;
    }
    this.recent.push(time, value);
  }

  private refreshStats(): void {
    if (this.statsValid) return;
    const count = this.baseline.length;
    if (scratch.length < count) scratch = new Float64Array(count * 2);
    this.baseline.copyValues(scratch);
    const { median, mad } = medianAndMadInPlace(scratch, count);
    let sigma = mad;
    if (sigma === 0) {
      // Half the reference is one value (an error rate that is mostly zero), yet its usual
      // excursions say how far it moves: the interdecile range as a sigma stands in.
      this.baseline.copyValues(scratch);
      const tails = selectQuantile(scratch, count, 0.9) - selectQuantile(scratch, count, 0.1);
      sigma = tails / 2.563;
    }
    this.median = median;
    this.scale = Math.max(
      sigma,
      this.config.relativeScaleFloor * Math.abs(median),
      ABSOLUTE_SCALE_FLOOR,
    );
    this.statsValid = true;
  }

  /** Robust z of a value against the reference, never larger than about 2 / relativeScaleFloor. */
  private z(value: number): number {
    const scale = Math.max(this.scale, this.config.relativeScaleFloor * Math.abs(value));
    return (value - this.median) / scale;
  }

  private tryOpen(time: number): MetricAnomaly | undefined {
    const { threshold, minExceeding } = this.config;
    let up = 0;
    let down = 0;
    let upPeak = 0;
    let downPeak = 0;
    for (let i = 0; i < this.recent.length; i++) {
      const z = this.z(this.recent.value(i));
      if (z >= threshold) {
        up++;
        upPeak = Math.max(upPeak, z);
      } else if (z <= -threshold) {
        down++;
        downPeak = Math.max(downPeak, -z);
      }
    }
    if (up < minExceeding && down < minExceeding) return undefined;
    const direction = up >= down ? 'up' : 'down';
    const score = direction === 'up' ? upPeak : downPeak;
    const onset = this.findOnset(direction === 'up' ? 1 : -1);
    this.anomaly = { onset, direction, reportedScore: score, points: 0, recoveredRun: 0 };
    return {
      kind: 'opened',
      score,
      direction,
      onset,
      window: { start: onset, end: time },
      detectedAt: time,
    };
  }

  private follow(anomaly: ActiveAnomaly, time: number, value: number): MetricAnomaly | undefined {
    const { recoveryThreshold, recoveryPoints, maxAnomalyPoints, threshold, escalationFactor } =
      this.config;
    const signed = (anomaly.direction === 'up' ? 1 : -1) * this.z(value);
    anomaly.points++;
    anomaly.recoveredRun = signed < recoveryThreshold ? anomaly.recoveredRun + 1 : 0;
    if (anomaly.recoveredRun >= recoveryPoints) {
      this.endAnomaly();
      return undefined;
    }
    if (anomaly.points >= maxAnomalyPoints) {
      this.acceptNewNormal();
      return undefined;
    }
    if (signed < threshold || signed < anomaly.reportedScore * escalationFactor) return undefined;
    anomaly.reportedScore = signed;
    const { onset, direction } = anomaly;
    return {
      kind: 'escalated',
      score: signed,
      direction,
      onset,
      window: { start: onset, end: time },
      detectedAt: time,
    };
  }

  /** Back to normal: the held points were anomalous and never join the reference. */
  private endAnomaly(): void {
    this.anomaly = null;
    this.held.clear();
  }

  /** The shift lasted: its points become the reference, so the detector tests against the new level. */
  private acceptNewNormal(): void {
    this.baseline.clear();
    for (let i = 0; i < this.held.length; i++)
      this.baseline.push(this.held.time(i), this.held.value(i));
    this.statsValid = false;
    this.endAnomaly();
  }

  /**
   * The change point of the clipped robust z over the newest reference points and the test window,
   * walked back over leading points that are already well out in the shift's direction.
   */
  private findOnset(sign: number): number {
    const fromBaseline = Math.min(
      this.baseline.length,
      Math.max(0, this.config.onsetLookback - this.recent.length),
    );
    const length = fromBaseline + this.recent.length;
    const times = new Float64Array(length);
    const zs = new Float64Array(length);
    const skip = this.baseline.length - fromBaseline;
    for (let i = 0; i < length; i++) {
      const fromRecent = i >= fromBaseline;
      const ring = fromRecent ? this.recent : this.baseline;
      const index = fromRecent ? i - fromBaseline : skip + i;
      times[i] = ring.time(index);
      zs[i] = Math.max(-ONSET_CLIP, Math.min(ONSET_CLIP, this.z(ring.value(index))));
    }
    let index = meanShiftChangePoint(zs, 0, length).index;
    while (index > 0 && sign * zs[index - 1] >= this.config.onsetBacktrackThreshold) index--;
    return times[index];
  }
}

function copyInto(target: TimeValueRing, source: TimeValueRing): void {
  for (let i = 0; i < source.length; i++) target.push(source.time(i), source.value(i));
}
