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
 * Growth after the warm-up: from the sample at `baseMinute` (or the first after it) to the mean of
 * the last three samples (one sample is noisy: a GC just before or after it moves it).
 */
export function growthAfter(
  series: SoakResults['series'],
  baseMinute: number,
): SoakResults['growth'] {
  const services = [...new Set(series.flatMap((s) => Object.keys(s.rss)))];
  const base = series.find((s) => s.minute >= baseMinute);
  const tail = series.filter((s) => base && s.minute > base.minute).slice(-3);
  const growth: SoakResults['growth'] = {};
  for (const service of services) {
    const from = base?.rss[service];
    const last = tail.map((s) => s.rss[service]).filter((x): x is number => x !== undefined);
    if (from === undefined || last.length === 0) {
      growth[service] = undefined;
      continue;
    }
    const to = Math.round(last.reduce((a, b) => a + b, 0) / last.length);
    growth[service] = {
      fromMiB: from,
      toMiB: to,
      percent: Number(((100 * (to - from)) / from).toFixed(1)),
    };
  }
  return growth;
}
