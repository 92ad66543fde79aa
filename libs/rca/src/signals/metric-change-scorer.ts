import { isFiniteNumber } from './finite-number';
import type { MetricBaseline, MetricEvidence, MetricSeries } from '../rca-case';
import { meanShiftChangePoint } from './change-point';
import { median, quantileSurelyBelow, quartilesInPlace, selectQuantile } from './robust-statistics';

export interface MetricScoreOptions {
  /** Quartiles of fewer points are noise, and a score against them would be too. */
  minNormalPoints: number;
  /**
   * With fewer normal points than minNormalPoints but at least this many (a link called a few
   * times before a short trace window's fault), the series is still scored, against a scale of
   * at least `fewPointsScaleFloor` times its level: too little is known of its spread for
   * anything short of a change of several times its level to count.
   */
  minFewNormalPoints: number;
  fewPointsScaleFloor: number;
  /**
   * The smallest scale, as a share of the level (max of |normal median| and |value|). A flat series
   * has an interquartile range of zero; without a floor any wiggle would score without bound. With
   * it a change is never more than about 2 / floor units, and a change of less than 1% of the
   * level cannot look dramatic however quiet the series was.
   */
  relativeScaleFloor: number;
  /**
   * The scale floor, as a share of the median, of a series whose normal window is flat (its spread
   * no wider than `relativeScaleFloor` of its level: one value, or all but). Such a series says
   * nothing about how finely it moves: a p99 read from a histogram stays at a
   * bucket's bound for an hour, and one request past it moves it to the next bound, double or
   * more. Where that is the nature of a metric, a step is read against this share of its level.
   */
  flatScaleFloor: number;
  /**
   * How far before `anomalyStart` the onset may lie, as a share of the normal points. Detection
   * times are late (RCAEval also evaluates them moved 60 s late), so the shift often began inside
   * what the case calls normal.
   */
  onsetLookbackFraction: number;
  /**
   * And never further back than this: a series recorded in snippets (traces kept for a few minutes
   * around each earlier incident) has half its normal points twenty minutes back, where a shift
   * that begins now cannot have begun.
   */
  onsetLookbackMs: number;
  /** Robust-scaled values are clipped here before the change-point search, so one spike cannot pull it. */
  onsetClip: number;
  /**
   * A ramp's mean-shift split lands mid-ramp; the onset walks back over points still at least this
   * many scale units out in the direction of the change (about 2.7 sigma for Gaussian noise, which
   * noise alone rarely crosses twice in a row).
   */
  onsetBacktrackThreshold: number;
  /**
   * Below this score the change is noise and its onset means nothing: the peak's time stands in,
   * which spares the change-point search on the quiet majority of a large topology's series.
   */
  onsetMinScore: number;
  /** A precomputed baseline older than this (before anomalyStart) is not used. */
  maxBaselineAgeMs: number;
  /**
   * How far (in scale units) the normal points of a well-behaved series stray: the 95th percentile
   * of |x - median| / IQR is about 1.5 for Gaussian noise. A series whose normal points stray
   * further (a p99 latency of a service called a few times a minute jumps by tens of IQRs all
   * day) has its score divided by how much further: a change counts by how far it goes beyond
   * what the series itself did in normal times, so noisy series of a large system do not outshout
   * the one that really changed. 0 turns this off.
   */
  normalExcursion: number;
  normalExcursionQuantile: number;
  /**
   * Normal points further than this (scale units) with a neighbour as far are an earlier episode,
   * left out of the excursion; 0 keeps them.
   */
  episodeThreshold: number;
  /**
   * The normal window's last regime stands alone when its median lies this many of its scale
   * units from the median before it; 0 always uses the whole window.
   */
  regimeShift: number;
}

export const defaultMetricScoreOptions: MetricScoreOptions = {
  minNormalPoints: 5,
  minFewNormalPoints: 2,
  fewPointsScaleFloor: 1,
  relativeScaleFloor: 0.01,
  flatScaleFloor: 0.01,
  onsetLookbackFraction: 0.5,
  onsetLookbackMs: 5 * 60_000,
  onsetClip: 10,
  onsetBacktrackThreshold: 2,
  onsetMinScore: 3,
  maxBaselineAgeMs: 5 * 60_000,
  normalExcursion: 1.5,
  normalExcursionQuantile: 0.95,
  episodeThreshold: 10,
  regimeShift: 8,
};

const NO_OPTIONS: Partial<MetricScoreOptions> = {};

/**
 * The defaults with `options` over them, merged once per options object: a ranking scores every
 * series of a topology with one of a few options objects, and a merge per series is much of the
 * cost of a quiet one. An options object is read once, then: to score with other options, pass
 * another object, do not change this one.
 */
const mergedSettings = new WeakMap<Partial<MetricScoreOptions>, MetricScoreOptions>();

function settingsOf(options: Partial<MetricScoreOptions>): MetricScoreOptions {
  if (options === NO_OPTIONS) return defaultMetricScoreOptions;
  let settings = mergedSettings.get(options);
  if (!settings) {
    settings = { ...defaultMetricScoreOptions, ...options };
    mergedSettings.set(options, settings);
  }
  return settings;
}

/** The smallest scale at all: only there to keep 0 / 0 out of the arithmetic. */
const ABSOLUTE_SCALE_FLOOR = 1e-12;
/** For Gaussian data the IQR is 1.349 sigma and the interdecile range 2.563 sigma. */
const INTERDECILE_TO_IQR = 1.349 / 2.563;

// Reused between calls: scoring runs on every series of a large topology, and allocating per series
// would cost more than the arithmetic. Single-threaded JavaScript makes this safe.
let normalScratch: Float64Array = new Float64Array(512);
let zScratch: Float64Array = new Float64Array(512);

function scratchOf(buffer: Float64Array, size: number): Float64Array {
  if (buffer.length >= size) return buffer;
  return new Float64Array(Math.max(size, buffer.length * 2));
}

/** First index whose time is at least `time` (times ascending). */
export function lowerBound(times: readonly number[], time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid] < time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index whose time is after `time`. */
export function upperBound(times: readonly number[], time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid] <= time) low = mid + 1;
    else high = mid;
  }
  return low;
}

interface NormalProfile {
  /** The first normal point the profile was made of (the current regime's, see regimeProfile). */
  start?: number;
  median: number;
  /** Interquartile range; when that is zero the tails' spread; never below a share of the level. */
  scale: number;
  /**
   * When the current regime began inside the normal window right after the level the window began
   * with: that level (see recoveredTo).
   */
  previous?: NormalProfile;
}

function normalProfile(
  values: readonly number[],
  normalEnd: number,
  options: MetricScoreOptions,
  start = 0,
): NormalProfile | undefined {
  normalScratch = scratchOf(normalScratch, normalEnd);
  let count = 0;
  for (let i = start; i < normalEnd; i++) {
    const value = values[i];
    if (isFiniteNumber(value)) normalScratch[count++] = value;
  }
  if (count < options.minNormalPoints) return undefined;
  const { q25, q50: median, q75 } = quartilesInPlace(normalScratch, count);
  const iqr = q75 - q25;
  // An IQR of zero means half the points are equal (an error rate that is mostly zero), yet its
  // usual excursions still say how far it moves: the IQR-equivalent of the interdecile range
  // stands in, and one spike cannot move it. Only computed then: selection is most of the cost.
  const tails = iqr > 0 ? 0 : interdecileRange(normalScratch, count) * INTERDECILE_TO_IQR;
  const floor = Math.max(
    tails,
    options.relativeScaleFloor * Math.abs(median),
    ABSOLUTE_SCALE_FLOOR,
  );
  return { median, scale: Math.max(iqr, floor) };
}

/** The profile of a handful of normal points: their median, and a scale of at least their level. */
function fewPointsProfile(
  values: readonly number[],
  normalEnd: number,
  options: MetricScoreOptions,
): NormalProfile | undefined {
  const points = values.slice(0, normalEnd).filter((v) => isFiniteNumber(v));
  if (points.length < options.minFewNormalPoints || points.length >= options.minNormalPoints)
    return undefined;
  points.sort((a, b) => a - b);
  const median = points[points.length >> 1];
  const range = points[points.length - 1] - points[0];
  const scale = Math.max(
    range,
    options.fewPointsScaleFloor * Math.abs(median),
    ABSOLUTE_SCALE_FLOOR,
  );
  return { median, scale };
}

/**
 * The profile of the series' current regime: when the normal window holds a level that ended (an
 * earlier incident, a change since reverted or kept), the quartiles of the whole window mix two
 * levels and a change from the current one looks small. The best mean-shift split of the normal
 * points marks a later regime; it is used alone when it has enough points, its level lies far
 * from the one before (in its own scale units) and mixing the two at least doubled the scale. A
 * shift that merely began before a late anomaly start leaves the whole window's scale as it was,
 * and is still scored from the level before it. An earlier incident that began and ended in the
 * window (normal, incident, normal again) is two shifts, and the best single split may fall at its
 * start, leaving the incident and the normal after it as one mixed regime that stands apart from
 * nothing: when the level after a split lies far from the one before in the earlier level's own
 * scale units (an episode began), what follows the split is split again the same way.
 */
function regimeProfile(
  values: readonly number[],
  normalEnd: number,
  options: MetricScoreOptions,
): NormalProfile | undefined {
  const whole = normalProfile(values, normalEnd, options);
  if (!whole || options.regimeShift <= 0) return whole;
  for (let from = 0; ; ) {
    const step = laterRegime(values, from, normalEnd, whole, options);
    if (!step) return whole;
    if (step.apart) return step.regime;
    // an episode began at the split but did not stand apart: where it ended is looked for after it
    if (!step.episodeBegan) return whole;
    from = step.regime.start;
  }
}

/**
 * The regime after the best mean-shift split of the normal points from `from` on, whether it
 * stands apart from what came before it, and whether an episode began there (see regimeProfile);
 * undefined when there is no split that leaves enough points after it.
 */
function laterRegime(
  values: readonly number[],
  from: number,
  normalEnd: number,
  whole: NormalProfile,
  options: MetricScoreOptions,
):
  | { regime: NormalProfile & { start: number }; apart: boolean; episodeBegan: boolean }
  | undefined {
  const finite: number[] = [];
  for (let i = from; i < normalEnd; i++) if (isFiniteNumber(values[i])) finite.push(i);
  if (finite.length < 2 * options.minNormalPoints) return undefined;
  zScratch = scratchOf(zScratch, finite.length);
  const clip = options.onsetClip;
  for (let k = 0; k < finite.length; k++) {
    const z = (values[finite[k]] - whole.median) / whole.scale;
    zScratch[k] = z > clip ? clip : z < -clip ? -clip : z;
  }
  const split = meanShiftChangePoint(zScratch, 0, finite.length).index;
  if (split < 1 || finite.length - split < options.minNormalPoints) return undefined;
  const start = finite[split];
  const recent = normalProfile(values, normalEnd, options, start);
  const before = normalProfile(values, start, options, from);
  if (!recent || !before) return undefined;
  const shift = Math.abs(recent.median - before.median);
  const apart = shift / recent.scale >= options.regimeShift && recent.scale <= 0.5 * whole.scale;
  const episodeBegan = shift / before.scale >= options.regimeShift;
  // Only the level the window began with is taken for what the series usually does: a regime
  // between two others may be an earlier episode itself.
  const previous = from === 0 ? { ...before, start: from } : undefined;
  return { regime: { ...recent, start, previous }, apart, episodeBegan };
}

function usableBaseline(
  series: MetricSeries,
  anomalyStart: number,
  options: MetricScoreOptions,
): NormalProfile | undefined {
  const baseline = series.baseline;
  if (!baseline || baseline.points < options.minNormalPoints) return undefined;
  if (baseline.until > anomalyStart || anomalyStart - baseline.until > options.maxBaselineAgeMs)
    return undefined;
  return { median: baseline.median, scale: baseline.scale };
}

/**
 * The robust profile of a series' points before `until`: what `scoreMetric` would compute for an
 * anomalous period starting there, kept so that a ranking does not have to.
 */
export function metricBaseline(
  series: Pick<MetricSeries, 'times' | 'values'>,
  until: number,
  options: Partial<MetricScoreOptions> = NO_OPTIONS,
): MetricBaseline | undefined {
  const settings = settingsOf(options);
  const end = lowerBound(series.times, until);
  const profile = normalProfile(series.values, end, settings);
  return profile && { ...profile, until, points: end };
}

/**
 * How many times further than Gaussian noise the series' normal points stray (at least 1), their
 * distances from `center` read in `unit` (as `pointScore` reads them). Plain numbers, not a
 * profile: every series of a topology passes here, and an object made per series for it was
 * much of the cost.
 */
function noisiness(
  values: readonly number[],
  normalEnd: number,
  center: number,
  unit: number,
  options: MetricScoreOptions,
  start: number,
): number {
  if (options.normalExcursion <= 0) return 1;
  const relativeFloor = options.relativeScaleFloor;
  normalScratch = scratchOf(normalScratch, normalEnd);
  zScratch = scratchOf(zScratch, normalEnd);
  let finite = 0;
  for (let i = start; i < normalEnd; i++) {
    const value = values[i];
    if (isFiniteNumber(value)) zScratch[finite++] = pointScore(value, center, unit, relativeFloor);
  }
  // An earlier incident in the normal window is a run of points far out, not noise: leave such
  // runs out (noise strays a point at a time), or a service that had the same fault ten minutes
  // ago could never look anomalous again.
  const far = options.episodeThreshold;
  let count = 0;
  for (let i = 0; i < finite; i++) {
    const z = zScratch[i];
    const inRun =
      z > far && ((i > 0 && zScratch[i - 1] > far) || (i + 1 < finite && zScratch[i + 1] > far));
    if (far <= 0 || !inRun) normalScratch[count++] = z;
  }
  if (count < options.minNormalPoints) return 1;
  const q = options.normalExcursionQuantile;
  // Most series stray no further than noise does: no need to select the quantile to know that.
  if (quantileSurelyBelow(normalScratch, count, q, options.normalExcursion)) return 1;
  return Math.max(1, selectQuantile(normalScratch, count, q) / options.normalExcursion);
}

function interdecileRange(a: Float64Array, count: number): number {
  return selectQuantile(a, count, 0.9) - selectQuantile(a, count, 0.1);
}

/**
 * A normal window that never strayed past the relative floor (not one step beyond 1% of its
 * level) says nothing about how finely the series moves: its scale is at least `flatScaleFloor`
 * of its level.
 */
function withFlatFloor(profile: NormalProfile, options: MetricScoreOptions): NormalProfile {
  if (options.flatScaleFloor <= options.relativeScaleFloor) return profile;
  const level = Math.abs(profile.median);
  if (profile.scale > options.relativeScaleFloor * level) return profile;
  return { ...profile, scale: options.flatScaleFloor * level };
}

/** The scale a value is read in: the profile's, and never under `relativeFloor` of the value. */
function scaleAt(value: number, profile: NormalProfile, relativeFloor: number): number {
  return Math.max(profile.scale, relativeFloor * Math.abs(value));
}

/**
 * How far `value` lies from `center`, in units of `scale`, or of `relativeFloor` of the value when
 * that is larger. Plain numbers: loops over a series' points read the profile and options once,
 * since fields of profiles and options of several shapes, read per point, came back boxed.
 */
function pointScore(value: number, center: number, scale: number, relativeFloor: number): number {
  return Math.abs(value - center) / Math.max(scale, relativeFloor * Math.abs(value));
}

/**
 * When the shift began: the best single mean-shift split of the clipped robust-scaled values from
 * `searchStart` to the peak, walked back over a ramp's leading points. Searching only up to the
 * peak keeps a transient (up and back down) from being read as a shift at its recovery.
 */
function estimateOnset(
  series: MetricSeries,
  profile: NormalProfile,
  searchStart: number,
  peak: number,
  sign: number,
  options: MetricScoreOptions,
): number {
  const length = peak + 1 - searchStart;
  zScratch = scratchOf(zScratch, length);
  const clip = options.onsetClip;
  for (let i = 0; i < length; i++) {
    const value = series.values[searchStart + i];
    const z = isFiniteNumber(value) ? (value - profile.median) / profile.scale : 0;
    zScratch[i] = z > clip ? clip : z < -clip ? -clip : z;
  }
  let index = length < 2 ? length - 1 : meanShiftChangePoint(zScratch, 0, length).index;
  while (index > 0 && sign * zScratch[index - 1] >= options.onsetBacktrackThreshold) index--;
  return series.times[searchStart + index];
}

/**
 * The level the series went back to, when an episode was under way as the normal window ended
 * (the current regime, begun inside it) and the anomalous points as a whole left it for the level
 * the window began with: the episode ending, a service recovering from an earlier fault, not a
 * change that starts here. Medians, not single points: a spike or two back toward the old level
 * is no recovery. Undefined otherwise.
 */
function recoveredTo(
  values: readonly number[],
  normalEnd: number,
  anomalousEnd: number,
  current: NormalProfile,
  options: MetricScoreOptions,
): NormalProfile | undefined {
  if (!current.previous) return undefined;
  const previous = withFlatFloor(current.previous, options);
  const after: number[] = [];
  for (let i = normalEnd; i < anomalousEnd; i++)
    if (isFiniteNumber(values[i])) after.push(values[i]);
  if (after.length === 0) return undefined;
  const level = median(after);
  const leftCurrent = Math.abs(level - current.median) >= options.regimeShift * current.scale;
  const backAtPrevious = Math.abs(level - previous.median) <= 2 * previous.scale;
  return leftCurrent && backAtPrevious ? previous : undefined;
}

/**
 * BARO-style robust change score of one series: the largest distance of a point in
 * [anomalyStart, end] from the median of the points before anomalyStart, in units of their
 * interquartile range, with the direction of that point and the onset of the shift. Undefined when
 * there are too few normal points or no point in the anomalous period. Expected O(n) per series
 * (selection, not sorting) over reused scratch buffers.
 */
export function scoreMetric(
  series: MetricSeries,
  anomalyStart: number,
  end?: number,
  options: Partial<MetricScoreOptions> = NO_OPTIONS,
): MetricEvidence | undefined {
  const settings = settingsOf(options);
  const { times, values } = series;
  const normalEnd = lowerBound(times, anomalyStart);
  const anomalousEnd = end === undefined ? times.length : upperBound(times, end);
  if (anomalousEnd <= normalEnd) return undefined;
  const found =
    usableBaseline(series, anomalyStart, settings) ??
    regimeProfile(values, normalEnd, settings) ??
    fewPointsProfile(values, normalEnd, settings);
  if (found === undefined) return undefined;
  const current = withFlatFloor(found, settings);
  const profile = recoveredTo(values, normalEnd, anomalousEnd, current, settings) ?? current;

  let best = -1;
  let peak = -1;
  const { median: center, scale } = profile;
  const relativeFloor = settings.relativeScaleFloor;
  for (let i = normalEnd; i < anomalousEnd; i++) {
    const value = values[i];
    if (!isFiniteNumber(value)) continue;
    const score = pointScore(value, center, scale, relativeFloor);
    if (score > best) {
      best = score;
      peak = i;
    }
  }
  if (peak < 0) return undefined;

  const sign = values[peak] >= profile.median ? 1 : -1;
  const lookback = Math.min(
    Math.floor(normalEnd * settings.onsetLookbackFraction),
    normalEnd - lowerBound(times, anomalyStart - settings.onsetLookbackMs),
  );
  const onset =
    best < settings.onsetMinScore
      ? times[peak]
      : estimateOnset(series, profile, normalEnd - lookback, peak, sign, settings);
  // the normal points' excursions in the unit the peak was measured in: a change of a thousand
  // times the level is read against 1% of it (relativeScaleFloor), and so must its noise be
  const unit = scaleAt(values[peak], profile, settings.relativeScaleFloor);
  const score =
    best / noisiness(values, normalEnd, profile.median, unit, settings, profile.start ?? 0);
  return { metric: series.metric, score, onset, direction: sign > 0 ? 'up' : 'down' };
}
