import { metricsRegistry } from '@vigil/telemetry';
import { DroppedRecordsMetric, updateStreamBehind } from './evidence-stream-metrics';

async function droppedTotal(stream: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('vigil_rca_records_dropped_total')?.get();
  return metric?.values.find((v) => v.labels.stream === stream)?.value ?? 0;
}

describe('DroppedRecordsMetric', () => {
  it('adds each pass’s new drops per stream, not the running totals again', async () => {
    const spansBefore = await droppedTotal('trace_spans');
    const callsBefore = await droppedTotal('call_records');
    const metric = new DroppedRecordsMetric();
    metric.update({ callRecords: 1, logLines: 2, logBehaviour: 2, traceSpans: 3 });
    metric.update({ callRecords: 4, logLines: 2, logBehaviour: 2, traceSpans: 5 });
    expect((await droppedTotal('trace_spans')) - spansBefore).toBe(5);
    expect((await droppedTotal('call_records')) - callsBefore).toBe(4);
  });
});

describe('updateStreamBehind', () => {
  it("shows how far each stream's time is behind rca's clock, once the stream has one", async () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    updateStreamBehind(
      {
        callRecords: now - 25_000,
        logLines: now - 90_000,
        logBehaviour: -Infinity,
        traceSpans: now,
      },
      now,
    );
    const metric = await metricsRegistry.getSingleMetric('vigil_rca_stream_behind_seconds')?.get();
    const behind = Object.fromEntries(metric?.values.map((v) => [v.labels.stream, v.value]) ?? []);
    expect(behind).toEqual({ call_records: 25, log_lines: 90, trace_spans: 0 });
  });
});
