/** What an instance reports about its recent requests: the Prometheus gauges of the shop. */
export interface RequestStats {
  requestsPerSecond: number;
  errorRatio: number;
  p99Ms: number;
  count: number;
}

interface Entry {
  at: number;
  durationMs: number;
  ok: boolean;
}

/**
 * The requests of the last `windowMs`, for rates, error ratio and p99. Bounded: beyond
 * `maxEntries` the oldest go first (a flood must not grow memory).
 */
export class RequestWindow {
  private entries: Entry[] = [];

  constructor(
    private readonly windowMs = 10_000,
    private readonly maxEntries = 50_000,
  ) {}

  record(at: number, durationMs: number, ok: boolean): void {
    this.entries.push({ at, durationMs, ok });
    if (this.entries.length > this.maxEntries)
      this.entries.splice(0, this.entries.length - this.maxEntries);
  }

  stats(now: number): RequestStats {
    const since = now - this.windowMs;
    const first = this.entries.findIndex((e) => e.at >= since);
    this.entries = first < 0 ? [] : this.entries.slice(first);
    const count = this.entries.length;
    if (count === 0) return { requestsPerSecond: 0, errorRatio: 0, p99Ms: 0, count };
    const failed = this.entries.filter((e) => !e.ok).length;
    const sorted = this.entries.map((e) => e.durationMs).sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
    return {
      requestsPerSecond: count / (this.windowMs / 1000),
      errorRatio: failed / count,
      p99Ms: p99,
      count,
    };
  }
}
