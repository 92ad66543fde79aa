/** Each service's resident memory (MiB), one sample a minute: what bench/results/soak.json holds. */
export interface SoakResults {
  date: string;
  minutes: number;
  alertsPerS: number;
  shopRps: number;
  /** Minute -> service -> RSS in MiB. */
  series: Array<{ minute: number; rss: Record<string, number> }>;
  /** Per service: growth from minute `baseMinute` to the last sample, in percent (undefined: too short). */
  growth: Record<string, { fromMiB: number; toMiB: number; percent: number } | undefined>;
  baseMinute: number;
}

/**
 * Growth after the warm-up: from the mean of the three samples from `baseMinute` on to the mean of
 * the last three (one sample is noisy: a GC just before or after it moves it by a third).
 */
export function growthAfter(
  series: SoakResults['series'],
  baseMinute: number,
): SoakResults['growth'] {
  const services = [...new Set(series.flatMap((s) => Object.keys(s.rss)))];
  const after = series.filter((s) => s.minute >= baseMinute);
  const base = after.slice(0, 3);
  const tail = after.slice(3).slice(-3);
  const mean = (samples: typeof series, service: string) => {
    const xs = samples.map((s) => s.rss[service]).filter((x): x is number => x !== undefined);
    return xs.length === 0 ? undefined : Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  };
  const growth: SoakResults['growth'] = {};
  for (const service of services) {
    const from = mean(base, service);
    const to = mean(tail, service);
    growth[service] =
      from === undefined || to === undefined
        ? undefined
        : { fromMiB: from, toMiB: to, percent: Number(((100 * (to - from)) / from).toFixed(1)) };
  }
  return growth;
}
