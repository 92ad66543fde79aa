import type { Combiner, RangeFunction } from './alert-rule';
import type { Sample } from './metric-series';

/** A window of samples (time-ordered, at least one) down to one value; undefined if it has none. */
export type RangeFn = (samples: readonly Sample[]) => number | undefined;

const values = (samples: readonly Sample[]): number[] => samples.map((s) => s.v);

/**
 * The increase of a counter over the window. A drop means the process restarted and the counter
 * began again from zero, so the value after the drop is all increase since the restart (as
 * PromQL does); ignoring resets would read a restart as a huge negative rate.
 */
export function counterIncrease(samples: readonly Sample[]): number | undefined {
  if (samples.length < 2) return undefined;
  let increase = 0;
  for (let i = 1; i < samples.length; i++) {
    const delta = samples[i].v - samples[i - 1].v;
    increase += delta >= 0 ? delta : samples[i].v;
  }
  return increase;
}

/**
 * Per-second rate between the first and last sample in the window. Unlike PromQL there is no
 * extrapolation to the window edges: the services push at a steady interval, so the covered
 * span is the window less one interval, and dividing by what was seen is exact.
 */
export function counterRate(samples: readonly Sample[]): number | undefined {
  const increase = counterIncrease(samples);
  const seconds = (samples[samples.length - 1].t - samples[0].t) / 1_000;
  return increase === undefined || seconds <= 0 ? undefined : increase / seconds;
}

/** Least-squares slope per second (PromQL `deriv`): steady growth, not one jump, moves it. */
export function slope(samples: readonly Sample[]): number | undefined {
  if (samples.length < 2) return undefined;
  const t0 = samples[0].t;
  const xs = samples.map((s) => (s.t - t0) / 1_000);
  const meanX = mean(xs);
  const meanY = mean(values(samples));
  let covariance = 0;
  let variance = 0;
  samples.forEach((s, i) => {
    covariance += (xs[i] - meanX) * (s.v - meanY);
    variance += (xs[i] - meanX) ** 2;
  });
  return variance === 0 ? undefined : covariance / variance;
}

function mean(numbers: readonly number[]): number {
  return numbers.reduce((total, n) => total + n, 0) / numbers.length;
}

export const rangeFunctions: Readonly<Record<RangeFunction, RangeFn>> = {
  avg: (samples) => mean(values(samples)),
  min: (samples) => Math.min(...values(samples)),
  max: (samples) => Math.max(...values(samples)),
  sum: (samples) => values(samples).reduce((total, v) => total + v, 0),
  last: (samples) => samples[samples.length - 1].v,
  rate: counterRate,
  increase: counterIncrease,
  slope,
};

export const combiners: Readonly<Record<Combiner, (numbers: readonly number[]) => number>> = {
  sum: (numbers) => numbers.reduce((total, n) => total + n, 0),
  avg: mean,
  min: (numbers) => Math.min(...numbers),
  max: (numbers) => Math.max(...numbers),
};

/** Functions whose series are parts of one total, so a group adds them up. */
const additive: ReadonlySet<RangeFunction> = new Set(['rate', 'increase', 'sum']);

export function defaultCombiner(fn: RangeFunction): Combiner {
  return additive.has(fn) ? 'sum' : 'max';
}

/** Counters need two samples for any increase; so does a slope. */
export function defaultMinSamples(fn: RangeFunction): number {
  return fn === 'rate' || fn === 'increase' || fn === 'slope' ? 2 : 1;
}
