import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Span } from '@opentelemetry/api';
import { Topics, type LogRecord, type MetricSample } from '@vigil/contracts';
import { CallTally, RequestWindow } from '@vigil/demo-shop';
import { EventPublisher } from '@vigil/messaging';
import type { RequestHeaders, ShopOtel } from './shop-otel';

/** A call to another service under way: send its headers, then end it with the outcome. */
export interface ShopCall {
  headers: Record<string, string>;
  end(ok: boolean): void;
}

/**
 * What a shop instance tells the platform, as its agent would: gauges every interval (rate,
 * error ratio, p99, CPU, memory, up), the calls it made, and its log lines. Publishing failures
 * are dropped, never fatal: a shop does not stop selling because monitoring is down. With `otel`,
 * traces and logs go through the OpenTelemetry SDK instead (ShopOtel); the gauges stay.
 */
export class ShopTelemetry {
  readonly requests = new RequestWindow(10_000);
  readonly calls: CallTally;
  private logs: LogRecord[] = [];
  private lastCpu = process.cpuUsage();
  private lastAt = Date.now();
  /**
   * The event loop's delay, measured as prom-client does for /metrics (10 ms resolution). A
   * histogram of its own: prom-client's is reset at every scrape, these batches have their own pace.
   */
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly service: string,
    private readonly instance: string,
    private readonly version: string,
    private readonly otel?: ShopOtel,
  ) {
    this.calls = new CallTally(service);
  }

  start(intervalMs: number): void {
    this.loopDelay.enable();
    this.timer = setInterval(() => void this.flush(), intervalMs);
  }

  /** `final`: a graceful stop, said in the last batch; a crash falls silent instead. */
  async stop({ final }: { final: boolean }): Promise<void> {
    clearInterval(this.timer);
    this.loopDelay.disable();
    await this.flush(final);
    await this.otel?.shutdown();
    await this.publisher.disconnect();
  }

  /**
   * A request's span (OpenTelemetry only), a child of the caller's when `headers` carry its
   * trace; pass it to `beginCall`, `log` and `respond`.
   */
  request(route: string, startedMs: number, headers?: RequestHeaders): Span | undefined {
    return this.otel?.request(route, startedMs, headers);
  }

  /** A call to another service, starting now: a CLIENT span, or a count for the call tally. */
  beginCall(callee: string, route: string, parent?: Span): ShopCall {
    const startedMs = Date.now();
    if (this.otel && parent) {
      const otel = this.otel;
      const { span, headers } = otel.beginCall(parent, { callee, route, startedMs });
      return { headers, end: (ok) => otel.endCall(span, ok, Date.now()) };
    }
    return { headers: {}, end: (ok) => this.calls.record(callee, Date.now() - startedMs, ok) };
  }

  respond(span: Span | undefined, status: number): void {
    if (span) this.otel?.respond(span, status, Date.now());
  }

  log(
    level: LogRecord['level'],
    body: string,
    attributes: LogRecord['attributes'] = {},
    span?: Span,
  ): void {
    if (this.otel)
      return this.otel.log(level, body, { version: this.version, ...attributes }, span);
    if (this.logs.length >= 5_000) return; // a log storm must not eat the instance's memory
    this.logs.push({
      schemaVersion: 1,
      service: this.service,
      instance: this.instance,
      level,
      body,
      attributes: { version: this.version, ...attributes },
      time: new Date().toISOString(),
    });
  }

  private samples(now: number): MetricSample[] {
    const stats = this.requests.stats(now);
    const cpu = process.cpuUsage(this.lastCpu);
    const cpuRatio = (cpu.user + cpu.system) / 1000 / Math.max(1, now - this.lastAt);
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const time = new Date(now).toISOString();
    const gauge = (name: string, value: number) => ({ name, value, labels: {}, time });
    // the mean delay since the last batch; none when no timer fired in it (a loop busy throughout)
    const loopLagSeconds = this.loopDelay.mean / 1e9;
    this.loopDelay.reset();
    return [
      gauge('http_requests_per_second', stats.requestsPerSecond),
      gauge('http_error_ratio', stats.errorRatio),
      gauge('http_request_duration_p99_ms', stats.p99Ms),
      gauge('process_cpu_ratio', Math.min(1, cpuRatio)),
      gauge('process_resident_memory_bytes', process.memoryUsage.rss()),
      ...(Number.isFinite(loopLagSeconds)
        ? [gauge('nodejs_eventloop_lag_mean_seconds', loopLagSeconds)]
        : []),
      gauge('up', 1),
    ];
  }

  private async flush(final = false): Promise<void> {
    const now = Date.now();
    const batch = {
      schemaVersion: 1 as const,
      service: this.service,
      instance: this.instance,
      samples: this.samples(now),
      ...(final && { final }),
    };
    const spans = this.calls.flush(new Date(now));
    const logs = this.logs;
    this.logs = [];
    await Promise.all([
      this.publisher.publish(Topics.metrics, batch),
      spans.length > 0 ? this.publisher.publishMany(Topics.spans, spans) : undefined,
      logs.length > 0 ? this.publisher.publishMany(Topics.logs, logs) : undefined,
    ]).catch(() => undefined);
  }
}
