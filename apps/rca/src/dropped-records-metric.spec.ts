import { metricsRegistry } from '@vigil/telemetry';
import { DroppedRecordsMetric } from './dropped-records-metric';

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
