import { Counter } from 'prom-client';
import type { DroppedRecords } from '@vigil/rca';
import { metricsRegistry } from '@vigil/telemetry';

const droppedRecords = new Counter({
  name: 'vigil_rca_records_dropped_total',
  help:
    'Call records, log lines and spans the RCA evidence store turned away, by stream: late for a ' +
    'time bin that had closed, from a clock too far ahead, or (spans) sent twice. log_lines and ' +
    'log_behaviour count the same lines for two kinds of series: do not add them up',
  labelNames: ['stream'] as const,
  registers: [metricsRegistry],
});

const streamLabels: Record<keyof DroppedRecords, string> = {
  callRecords: 'call_records',
  logLines: 'log_lines',
  logBehaviour: 'log_behaviour',
  traceSpans: 'trace_spans',
};

/**
 * The store counts what it drops; this adds each pass's new drops to
 * `vigil_rca_records_dropped_total`, so evidence lost to a late pipeline or a wrong clock shows on
 * a dashboard instead of only as a worse ranking.
 */
export class DroppedRecordsMetric {
  private last: DroppedRecords = { callRecords: 0, logLines: 0, logBehaviour: 0, traceSpans: 0 };

  update(now: DroppedRecords): void {
    for (const stream of Object.keys(streamLabels) as Array<keyof DroppedRecords>) {
      const added = now[stream] - this.last[stream];
      if (added > 0) droppedRecords.inc({ stream: streamLabels[stream] }, added);
    }
    this.last = { ...now };
  }
}
