import type { Span } from '@opentelemetry/api';
import { Topics, type LogRecord, type MetricSample } from '@vigil/contracts';
import { CallTally, RequestWindow } from '@vigil/demo-shop';
import { EventPublisher } from '@vigil/messaging';
import type { ShopOtel } from './shop-otel';

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
    this.timer = setInterval(() => void this.flush(), intervalMs);
  }

  /** `final`: a graceful stop, said in the last batch; a crash falls silent instead. */
  async stop({ final }: { final: boolean }): Promise<void> {
    clearInterval(this.timer);
    await this.flush(final);
    await this.otel?.shutdown();
    await this.publisher.disconnect();
  }

  /** A request's span (OpenTelemetry only); pass it to `call`, `log` and `respond`. */
  request(route: string, startedMs: number): Span | undefined {
    return this.otel?.request(route, startedMs);
  }

  /** One finished call to another service: a CLIENT span, or a count for the call tally. */
  call(
    call: { callee: string; route: string; startedMs: number; ok: boolean },
    parent?: Span,
  ): void {
    const endedMs = Date.now();
    if (this.otel && parent) this.otel.call(parent, { ...call, endedMs });
    else this.calls.record(call.callee, endedMs - call.startedMs, call.ok);
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
    return [
      gauge('http_requests_per_second', stats.requestsPerSecond),
      gauge('http_error_ratio', stats.errorRatio),
      gauge('http_request_duration_p99_ms', stats.p99Ms),
      gauge('process_cpu_ratio', Math.min(1, cpuRatio)),
      gauge('process_resident_memory_bytes', process.memoryUsage.rss()),
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
