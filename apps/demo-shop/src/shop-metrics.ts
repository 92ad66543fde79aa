import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RequestStats } from '@vigil/demo-shop';

/** Where the request gauges come from: the instance's recent requests (RequestWindow). */
export interface RequestStatsSource {
  stats(now: number): RequestStats;
}

/**
 * What Prometheus scrapes from a shop instance on GET /metrics: the request gauges under the
 * names the shop also publishes to vigil.metrics.v1, and prom-client's default process metrics
 * (process_cpu_seconds_total, process_resident_memory_bytes, process_start_time_seconds, ...).
 * infra/demo/prometheus/shop-alert-rules.yml is written against these names.
 *
 * No series carries a service or instance label: those are target labels, set by Prometheus
 * from the scrape config, as for any real exporter (a `service` label here would clash with it).
 */
export class ShopMetrics {
  private readonly registry = new Registry();
  private readonly requestsPerSecond = this.gauge(
    'http_requests_per_second',
    'Requests served per second over the last 10 s.',
  );
  private readonly errorRatio = this.gauge(
    'http_error_ratio',
    'Share of the requests of the last 10 s that ended in a 5xx (0..1).',
  );
  private readonly p99Ms = this.gauge(
    'http_request_duration_p99_ms',
    'The 99th percentile of request durations over the last 10 s, in milliseconds.',
  );

  constructor(
    private readonly requests: RequestStatsSource,
    private readonly now: () => number = Date.now,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition, with the request gauges taken at this moment. */
  async render(): Promise<string> {
    // one pass over the window for all three, at scrape time: a scrape sees the present
    const stats = this.requests.stats(this.now());
    this.requestsPerSecond.set(stats.requestsPerSecond);
    this.errorRatio.set(stats.errorRatio);
    this.p99Ms.set(stats.p99Ms);
    return this.registry.metrics();
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }
}
