import { median } from '@vigil/rca';
import type { IngestMinute } from './ingest-traffic';

/** Each service's resident memory (MiB), one sample a minute: what bench/results/soak.json holds. */
export interface SoakResults {
  date: string;
  minutes: number;
  alertsPerS: number;
  shopRps: number;
  /**
   * The storms' services repeat every this many minutes (a steady estate with new alerts and
   * incidents); absent or 0: every storm brought services never seen before.
   */
  estateMinutes?: number;
  /**
   * 'short': every store a service bounds by age or count was bounded to minutes of this load
   * (full before the base minute); 'default': the shipped settings. Absent in older runs (default).
   */
  retention?: 'short' | 'default';
  /** The settings 'short' gave each service. */
  retentionSettings?: Record<string, Record<string, string>>;
  /**
   * Under 'short': the executor's guardrail policy (the demo's) had every window cut to at most
   * this many seconds, since its ended plans stay as long as the policy's longest window.
   */
  policyWindowsAtMostS?: number;
  /**
   * The allocator settings services ran with beside glibc's default (serviceAllocatorEnv):
   * service -> environment. Absent in older runs (glibc's default everywhere).
   */
  allocators?: Record<string, Record<string, string>>;
  /**
   * Minute -> service -> RSS in MiB, its anonymous part (heaps; not mapped files), and from the
   * service's /metrics the size of V8's young generation, the whole V8 heap (committed and used)
   * and the external memory JavaScript objects hold (see heap-spaces.ts; absent in older runs).
   */
  series: Array<{
    minute: number;
    rss: Record<string, number>;
    anon?: Record<string, number>;
    young?: Record<string, number>;
    heapTotal?: Record<string, number>;
    heapUsed?: Record<string, number>;
    external?: Record<string, number>;
    /** What went through ingest since the sample before (absent in older runs). */
    ingest?: IngestMinute;
  }>;
  /** Per service: growth from minute `baseMinute` to the last sample, in percent (undefined: too short). */
  growth: Record<string, Growth | undefined>;
  /** The same for the anonymous part of RSS. */
  anonGrowth?: Record<string, Growth | undefined>;
  /** The same for V8's young generation: bounded growth, part of the RSS growth. */
  youngGrowth?: Record<string, Growth | undefined>;
  /**
   * The same for the whole V8 heap (committed): the part of the anonymous growth that is
   * JavaScript's; the rest is native (allocators, add-ons, buffers).
   */
  heapGrowth?: Record<string, Growth | undefined>;
  baseMinute: number;
  /**
   * Samples whose median each end of `growth` is (GROWTH_WINDOW); absent in older runs, whose
   * ends were means of three samples.
   */
  growthWindow?: number;
}

export interface Growth {
  fromMiB: number;
  toMiB: number;
  percent: number;
}

/** What the soak samples per service each minute. */
export type SampledMeasure = Exclude<keyof SoakResults['series'][number], 'minute' | 'ingest'>;

/**
 * Samples at each end of the growth reading. A service's memory swings for a minute or three (a
 * V8 heap that expands and shrinks back, a burst of work): the median of ten samples reads the
 * level it keeps, where a mean of three read whichever swing the end happened to fall on.
 */
export const GROWTH_WINDOW = 10;
const MIN_WIDTH = 3;

/**
 * Growth after the warm-up: from the median of the `window` samples from `baseMinute` on to the
 * median of the last `window` (fewer, and as many at each end, when the run after `baseMinute`
 * holds less than twice that; nothing with fewer than three at each end: one sample is noisy).
 */
export function growthAfter(
  series: SoakResults['series'],
  baseMinute: number,
  measure: SampledMeasure = 'rss',
  window = GROWTH_WINDOW,
): SoakResults['growth'] {
  const services = [...new Set(series.flatMap((s) => Object.keys(s[measure] ?? {})))];
  const after = series.filter((s) => s.minute >= baseMinute);
  // fewer than MIN_WIDTH samples at an end leave it empty, and its level undefined
  const width = Math.min(window, Math.floor(after.length / 2));
  if (width < MIN_WIDTH) return Object.fromEntries(services.map((s) => [s, undefined]));
  const base = after.slice(0, width);
  const tail = after.slice(after.length - width);
  const level = (samples: typeof series, service: string) => {
    const xs = samples
      .map((s) => s[measure]?.[service])
      .filter((x): x is number => x !== undefined);
    return xs.length === 0 ? undefined : Math.round(median(xs));
  };
  const growth: SoakResults['growth'] = {};
  for (const service of services) {
    const from = level(base, service);
    const to = level(tail, service);
    growth[service] =
      from === undefined || to === undefined
        ? undefined
        : { fromMiB: from, toMiB: to, percent: Number(((100 * (to - from)) / from).toFixed(1)) };
  }
  return growth;
}

/**
 * The trend after the warm-up, which a garbage collector's sawtooth does not move as it moves two
 * end points: the median slope over every pair of samples from `baseMinute` on (Theil–Sen), over
 * the window, as a percentage of the fitted level at `baseMinute`. A leak shows here as a steady
 * slope; a heap that grows and is collected again does not.
 */
export function trendAfter(
  series: SoakResults['series'],
  baseMinute: number,
  measure: 'rss' | 'anon' = 'rss',
): Record<string, number | undefined> {
  const after = series.filter((s) => s.minute >= baseMinute);
  const services = [...new Set(after.flatMap((s) => Object.keys(s[measure] ?? {})))];
  const trend: Record<string, number | undefined> = {};
  for (const service of services) {
    const points = after
      .map((s) => [s.minute, s[measure]?.[service]] as const)
      .filter((p): p is readonly [number, number] => p[1] !== undefined);
    const last = points.at(-1);
    if (points.length < 6 || !last) {
      trend[service] = undefined;
      continue;
    }
    const slopes = points.flatMap(([x1, y1], i) =>
      points.slice(i + 1).map(([x2, y2]) => (y2 - y1) / (x2 - x1)),
    );
    const slope = median(slopes);
    const level = median(points.map(([x, y]) => y - slope * (x - baseMinute)));
    trend[service] = Number(((100 * slope * (last[0] - baseMinute)) / level).toFixed(1));
  }
  return trend;
}
