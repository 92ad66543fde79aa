// A Nezha case as apps/rca would have seen it live: every record of the case's window streamed,
// in time order, into the evidence store apps/rca keeps (IncidentEvidenceStore), as the records
// Vigil's topics carry (metric batches, vigil.traces.v1 spans, vigil.logs.v1 lines, the log
// anomalies signals publishes). The case is then what the store hands the ranker: bins closed as
// they would have closed, baselines kept as samples came, trace series built a bin at a time.
import type { Anomaly, LogRecord, MetricBatch, TraceSpan } from '@vigil/contracts';
import {
  IncidentEvidenceStore,
  type LogEvidence,
  type LogLine,
  type MetricSeries,
  type RcaCase,
  type RcaTopology,
  type SpanRecord,
} from '@vigil/rca';
import { openedIncident } from '../../test/support/incident-events';
import { LOG_BIN_MS, recordedPoints, windowed, type Interval } from './recorded-intervals';

export interface LiveReplayInput {
  /** The case's metric series, windowed. */
  metrics: readonly MetricSeries[];
  spans: readonly SpanRecord[];
  /**
   * Log lines: all of them up to `end` are streamed, the fault-free period's and the day's earlier
   * ones too, as a long-running apps/rca would have read them (its template and path mixes learn
   * what is normal from them).
   */
  logLines: readonly LogLine[];
  /** The log anomalies a long-running signals found (onsets anywhere: the window is applied here). */
  logAnomalies: readonly LogEvidence[];
  topology: RcaTopology;
  /** The case's window: metrics and spans before `from`, and anything after `end`, are not streamed. */
  from: number;
  end: number;
  /**
   * The stretches the log files cover: log volume (`log_lines`, `log_error_lines`) is kept inside
   * them only, as the offline case keeps it. The store counts a bin without lines between two with
   * lines as zero, and would read the minutes nobody recorded as silence.
   */
  logRecorded: readonly Interval[];
}

/**
 * How long before its first alert an incident's anomalous period starts (RCA_LEAD_MS, as the loops
 * set it): the replayed incident opens this long after the detection time, so its anomalous period
 * starts where the offline case's does, and only the live mechanics differ.
 */
const LEAD_MS = 60_000;

const PASS_MS = 2_000;

type Arrival = { time: number; feed: (store: IncidentEvidenceStore) => void };

/**
 * The ranking cases the live store gives at `end`, one per detection time: an incident (the data
 * set has no alerts) whose anomalous period starts then.
 */
export function liveReplayCases(input: LiveReplayInput, detections: readonly number[]): RcaCase[] {
  const store = new IncidentEvidenceStore({ leadMs: LEAD_MS });
  const inWindow = (time: number) => time >= input.from && time <= input.end;
  const arrivals: Arrival[] = [
    ...metricArrivals(input.metrics, inWindow),
    ...input.spans
      .filter((s) => inWindow(s.start))
      // a tracer exports a span when it ends: children come before their parents
      .map((s) => ({
        time: s.start + s.durationMs,
        feed: (st: IncidentEvidenceStore) => st.addTraceSpan(traceSpanOf(s)),
      })),
    ...input.logLines
      .filter((l) => l.time <= input.end)
      .map((l) => ({
        time: l.time,
        feed: (st: IncidentEvidenceStore) => st.addLogRecord(logRecordOf(l)),
      })),
    ...input.logAnomalies
      .filter((a) => inWindow(a.onset))
      .map((a, i) => ({
        time: a.onset,
        feed: (st: IncidentEvidenceStore) => st.addAnomaly(anomalyOf(a, i)),
      })),
  ];
  // a stable sort: what came at the same moment keeps its order
  arrivals.sort((a, b) => a.time - b.time);
  // apps/rca's passes, every RCA_INTERVAL_MS (2 s) of the stream's time: each tells the store the
  // time, so bins of a stream gone quiet close as they would live (a gap between the recording's
  // snippets is a pass with nothing new, however long)
  let passedAt = -Infinity;
  for (const arrival of arrivals) {
    if (arrival.time - passedAt >= PASS_MS) store.prune((passedAt = arrival.time));
    arrival.feed(store);
  }
  store.prune(input.end);
  return detections.map((at, i) => {
    const id = `replay-${i}`;
    // opened by an alert the store never saw: the data set has none
    const opened = new Date(at + LEAD_MS).toISOString();
    store.observeIncident(openedIncident(id, [], id, opened));
    const found = store.caseFor(id, input.topology, input.end);
    if (!found) throw new Error(`the store lost incident ${id}`);
    return {
      ...found,
      series: found.series.map((s) => recordedVolume(s, input.from, input.logRecorded)),
    };
  });
}

/**
 * A log volume series from `from` on, its recorded bins only; its baseline is left to the ranker
 * (the store's saw the unrecorded gaps as zeros).
 */
function recordedVolume(
  series: MetricSeries,
  from: number,
  recorded: readonly Interval[],
): MetricSeries {
  if (series.metric !== 'log_lines' && series.metric !== 'log_error_lines') return series;
  const { baseline: _gaps, ...rest } = windowed(series, from);
  return recordedPoints(rest, recorded, LOG_BIN_MS);
}

/** Each timestamp's samples of a service as one batch, as a scraper or an agent sends them. */
function metricArrivals(
  series: readonly MetricSeries[],
  inWindow: (t: number) => boolean,
): Arrival[] {
  const batches = new Map<string, MetricBatch>();
  for (const s of series)
    s.times.forEach((time, i) => {
      if (!inWindow(time) || !Number.isFinite(s.values[i])) return;
      const key = `${s.service}\u0000${time}`;
      let batch = batches.get(key);
      if (!batch) batches.set(key, (batch = { schemaVersion: 1, service: s.service, samples: [] }));
      const iso = new Date(time).toISOString();
      batch.samples.push({ name: s.metric, value: s.values[i], labels: {}, time: iso });
    });
  return [...batches.values()].map((batch) => ({
    time: Date.parse(batch.samples[0]?.time ?? ''),
    feed: (store) => store.addMetrics(batch),
  }));
}

function traceSpanOf(s: SpanRecord): TraceSpan {
  return {
    schemaVersion: 1,
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentId && { parentSpanId: s.parentId }),
    service: s.service,
    operation: s.operation,
    time: new Date(s.start).toISOString(),
    durationMs: s.durationMs,
    status: s.error ? 'error' : 'ok',
  };
}

function logRecordOf(l: LogLine): LogRecord {
  return {
    schemaVersion: 1,
    service: l.service,
    level: l.level,
    body: l.body,
    attributes: l.traceId && l.spanId ? { trace_id: l.traceId, span_id: l.spanId } : {},
    time: new Date(l.time).toISOString(),
  };
}

function anomalyOf(e: LogEvidence, i: number): Anomaly {
  const at = new Date(e.onset).toISOString();
  return {
    schemaVersion: 1,
    anomalyId: `replay-log-${i}`,
    service: e.service,
    signal: { kind: 'log', templateId: e.templateId, template: e.template, pattern: e.pattern },
    score: e.score,
    onset: at,
    window: { start: at, end: at },
    detectedAt: at,
  };
}
