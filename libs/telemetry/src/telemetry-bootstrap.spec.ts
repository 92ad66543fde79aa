import { context, propagation, trace } from '@opentelemetry/api';
import { startTelemetry } from './telemetry-bootstrap';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startTelemetry', () => {
  const savedEnv = { ...process.env };

  afterEach(() => {
    trace.disable();
    context.disable();
    propagation.disable();
    process.env = { ...savedEnv };
    jest.restoreAllMocks();
  });

  it('without an exporter, spans still get ids that follow async work and go into headers', async () => {
    const telemetry = startTelemetry('spec-service', {});
    const span = trace.getTracer('spec').startSpan('handle record');
    expect(trace.isSpanContextValid(span.spanContext())).toBe(true);

    const active = trace.setSpan(context.active(), span);
    const seenLater = await context.with(active, async () => {
      await sleep(1);
      return trace.getActiveSpan()?.spanContext().traceId;
    });
    const headers: Record<string, string> = {};
    propagation.inject(active, headers);
    span.end();
    await telemetry.shutdown();

    expect(seenLater).toBe(span.spanContext().traceId);
    expect(headers.traceparent).toContain(span.spanContext().traceId);
  });

  it('with an exporter named in OTEL_TRACES_EXPORTER, finished spans are exported', async () => {
    process.env.OTEL_TRACES_EXPORTER = 'console';
    process.env.OTEL_METRICS_EXPORTER = 'none';
    process.env.OTEL_LOGS_EXPORTER = 'none';
    const printed = jest.spyOn(console, 'dir').mockImplementation(() => undefined);
    const telemetry = startTelemetry('spec-service');
    // the exporting SDK is loaded a moment after the call
    await sleep(200);
    trace.getTracer('spec').startSpan('exported work').end();
    await telemetry.shutdown();

    const names = printed.mock.calls.map(([span]) => (span as { name?: string }).name);
    expect(names).toContain('exported work');
  });
});
