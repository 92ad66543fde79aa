import { metricsRegistry } from '@vigil/telemetry';
import { DroppedRecordsMetric } from './dropped-records-metric';

async function droppedTotal(stream: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('vigil_rca_records_dropped_total')?.get();
  return metric?.values.find((v) => v.labels.stream === stream)?.value ?? 0;
}

describe('DroppedRecordsMetric', () => {
  it('adds each pass’s new drops per stream, not the running totals again', async () => {
    const before = await droppedTotal('trace_spans');
    const metric = new DroppedRecordsMetric();
    metric.update({ callRecords: 0, logLines: 2, logBehaviour: 2, traceSpans: 3 });
    metric.update({ callRecords: 0, logLines: 2, logBehaviour: 2, traceSpans: 5 });
    expect((await droppedTotal('trace_spans')) - before).toBe(5);
    expect(await droppedTotal('call_records')).toBe(0);
  });
});
