import { Counter, Gauge } from 'prom-client';
import type { DroppedRecords, TelemetryStreamTimes } from '@vigil/rca';
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

const streamBehind = new Gauge({
  name: 'vigil_rca_stream_behind_seconds',
  help:
    "How far each live stream's time (the latest record time of its slowest Kafka partition) is " +
    "behind rca's clock: its time bins close this late. A backlog being read shows here, and a " +
    'producer whose clock lags (for a minute, or by up to 2 minutes for as long as it lags)',
  labelNames: ['stream'] as const,
  registers: [metricsRegistry],
});

/** Sets `vigil_rca_stream_behind_seconds` from the store's stream times, once a stream has one. */
export function updateStreamBehind(times: TelemetryStreamTimes, now: number): void {
  for (const stream of Object.keys(streamLabels) as Array<keyof TelemetryStreamTimes>) {
    const time = times[stream];
    if (Number.isFinite(time))
      streamBehind.set({ stream: streamLabels[stream] }, (now - time) / 1000);
  }
}
