import {
  describeIssues,
  logRecordSchema,
  metricBatchSchema,
  traceSpanSchema,
  type LogRecord,
  type MetricBatch,
  type TraceSpan,
} from '@vigil/contracts';
import type { MetricSeries } from '../rca-case';
import type { LogLine, LogLineLevel } from '../signals/log-anomaly-detector';
import { seriesName } from '../signals/signal-analyzer';
import { RecordFormatError, findColumn, numberCell, parseCsvTable } from './csv-table';
import { readCsvRows, readJsonLines, type ReadOptions, type ReadResult } from './record-reader';

/** One span as tracing systems export it. Times are epoch ms (fractions kept). */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  /** Absent for a trace's root span. */
  parentId?: string;
  /** The entity the span belongs to (its `service.name`, or the workload of its pod). */
  service: string;
  operation: string;
  start: number;
  durationMs: number;
  /** Whether the span ended in error, where the source says so (absent: unknown). */
  error?: boolean;
}

/**
 * A Kubernetes pod's workload: `cartservice-579f59597d-wc2lz` -> `cartservice` (a Deployment's
 * pods end in the ReplicaSet's hash and the pod's own); other names are kept as they are.
 * Kubernetes writes both ids without vowels or 0, 1, 3, so words (`home-timeline-redis`) stay.
 */
export function workloadOfPod(pod: string): string {
  const match = /^(.+)-[b-df-hj-np-tv-xz24-9]{5,10}-[b-df-hj-np-tv-xz24-9]{5}$/.exec(pod);
  return match ? match[1] : pod;
}

const SPAN_COLUMNS = {
  traceId: ['traceid', 'trace_id'],
  spanId: ['spanid', 'span_id'],
  parentId: ['parentid', 'parent_span_id', 'parentspanid'],
  service: ['service', 'servicename', 'service.name', 'podname', 'pod'],
  operation: ['operationname', 'operation', 'name', 'spanname'],
  startNs: ['starttimeunixnano', 'start_time_unix_nano'],
  endNs: ['endtimeunixnano', 'end_time_unix_nano'],
  startMs: ['startms', 'start', 'timestamp'],
  durationMs: ['durationms'],
  durationUs: ['duration', 'durationus'],
  status: ['status', 'statuscode', 'status_code', 'error'],
} as const;

/**
 * Spans from a CSV export: trace, span and parent ids, the service (or pod), the operation, and
 * start/end in epoch ns (or start in ms with a duration in ms, or in µs as `Duration`). A parent
 * of `root`, `0` or empty marks a root span.
 */
export function parseSpanCsv(text: string, options: ReadOptions): ReadResult<SpanRecord> {
  const table = parseCsvTable(text, options.file);
  const col = Object.fromEntries(
    Object.entries(SPAN_COLUMNS).map(([key, names]) => [key, findColumn(table.header, names)]),
  ) as Record<keyof typeof SPAN_COLUMNS, number>;
  for (const needed of ['traceId', 'spanId', 'service'] as const)
    if (col[needed] < 0)
      throw new RecordFormatError(
        options.file,
        1,
        `no ${needed} column (${SPAN_COLUMNS[needed][0]})`,
      );
  const podNames = /pod/i.test(table.header[col.service]);
  // an `error` column holds a flag (1 = error); a status holds OTel's codes (1 = OK, 2 = ERROR)
  const errorFlag = /^error$/i.test(table.header[col.status] ?? '');
  return readCsvRows(table, options, (row) => {
    const cell = (c: number) => (c >= 0 ? (row.cells[c] ?? '').trim() : '');
    const timing = spanTiming(cell, col);
    if (typeof timing === 'string') return timing;
    const service = cell(col.service);
    if (!cell(col.traceId) || !cell(col.spanId) || !service) return 'an id or the service is empty';
    const parent = cell(col.parentId);
    const status = cell(col.status).toLowerCase();
    return {
      traceId: cell(col.traceId),
      spanId: cell(col.spanId),
      ...(parent && parent !== 'root' && parent !== '0' && { parentId: parent }),
      service: podNames ? workloadOfPod(service) : service,
      operation: cell(col.operation),
      ...timing,
      ...(status && {
        error: (errorFlag ? /^(1|true|error)$/ : /^(2|error|true|failed|status_code_error)$/).test(
          status,
        ),
      }),
    };
  });
}

function spanTiming(
  cell: (c: number) => string,
  col: Record<keyof typeof SPAN_COLUMNS, number>,
): { start: number; durationMs: number } | string {
  const startNs = numberCell(cell(col.startNs));
  const endNs = numberCell(cell(col.endNs));
  if (col.startNs >= 0 && col.endNs >= 0) {
    if (!Number.isFinite(startNs) || !Number.isFinite(endNs) || endNs < startNs)
      return 'start/end are not times in ns';
    return { start: startNs / 1e6, durationMs: (endNs - startNs) / 1e6 };
  }
  const start = numberCell(cell(col.startMs));
  const duration =
    col.durationMs >= 0
      ? numberCell(cell(col.durationMs))
      : numberCell(cell(col.durationUs)) / 1000;
  if (!Number.isFinite(start) || !Number.isFinite(duration) || duration < 0)
    return 'no start time and duration';
  return { start, durationMs: duration };
}

/**
 * Spans as JSON lines: objects with the fields of {@link SpanRecord}, or records of
 * `vigil.traces.v1` (told apart by their `schemaVersion`), as a consumer of that topic dumps them.
 */
export function parseSpanJsonl(text: string, options: ReadOptions): ReadResult<SpanRecord> {
  return readJsonLines(text, options, (value) => {
    if (typeof value === 'object' && value !== null && 'schemaVersion' in value) {
      const parsed = traceSpanSchema.safeParse(value);
      return parsed.success
        ? spanRecordOfTraceSpan(parsed.data)
        : `not a trace span: ${describeIssues(parsed.error)}`;
    }
    const v = value as Partial<SpanRecord>;
    if (
      typeof v.traceId !== 'string' ||
      typeof v.spanId !== 'string' ||
      typeof v.service !== 'string' ||
      typeof v.start !== 'number' ||
      typeof v.durationMs !== 'number'
    )
      return 'needs traceId, spanId, service (strings), start and durationMs (numbers)';
    return {
      traceId: v.traceId,
      spanId: v.spanId,
      ...(typeof v.parentId === 'string' && v.parentId && { parentId: v.parentId }),
      service: v.service,
      operation: typeof v.operation === 'string' ? v.operation : '',
      start: v.start,
      durationMs: v.durationMs,
      ...(typeof v.error === 'boolean' && { error: v.error }),
    };
  });
}

const LOG_COLUMNS = {
  time: ['timeunixnano', 'time_unix_nano'],
  timestamp: ['timestamp', 'time'],
  service: ['service', 'servicename', 'podname', 'pod'],
  level: ['level', 'severity', 'severitytext'],
  body: ['log', 'body', 'message', 'line'],
  traceId: ['traceid', 'trace_id'],
  spanId: ['spanid', 'span_id'],
} as const;

/**
 * Log lines from a CSV export: a time (epoch ns, or ISO), the service (or pod), and the line. A
 * line that is a container runtime's JSON (`{"log": "..."}`) or an app's JSON log (`message`,
 * `severity`) is unwrapped, and the level read from it or from the text.
 */
export function parseLogCsv(text: string, options: ReadOptions): ReadResult<LogLine> {
  const table = parseCsvTable(text, options.file);
  const col = Object.fromEntries(
    Object.entries(LOG_COLUMNS).map(([key, names]) => [key, findColumn(table.header, names)]),
  ) as Record<keyof typeof LOG_COLUMNS, number>;
  for (const needed of ['service', 'body'] as const)
    if (col[needed] < 0)
      throw new RecordFormatError(
        options.file,
        1,
        `no ${needed} column (${LOG_COLUMNS[needed][0]})`,
      );
  const podNames = /pod/i.test(table.header[col.service]);
  return readCsvRows(table, options, (row) => {
    const cell = (c: number) => (c >= 0 ? (row.cells[c] ?? '').trim() : '');
    // an epoch that overflowed (negative) is no time: the ISO column, when there is one, says it
    const nanos = col.time >= 0 ? numberCell(cell(col.time)) / 1e6 : Number.NaN;
    const time = nanos > 0 ? nanos : Date.parse(cell(col.timestamp) || 'x');
    if (!Number.isFinite(time)) return 'no time';
    const service = cell(col.service);
    if (!service) return 'the service is empty';
    const { body, level } = unwrapLogLine(cell(col.body), cell(col.level));
    const traceId = cell(col.traceId);
    const spanId = cell(col.spanId);
    return {
      service: podNames ? workloadOfPod(service) : service,
      time,
      body,
      level,
      ...(traceId && spanId && { traceId, spanId }),
    };
  });
}

/**
 * Metric batches as JSON Lines in the metric contract (`vigil.metrics.v1`), as one series per
 * service and metric, named as apps/rca names them (seriesName): a file gives the same evidence as
 * the live stream.
 */
export function parseMetricBatchJsonl(
  text: string,
  options: ReadOptions,
): ReadResult<MetricSeries> {
  const batches = readJsonLines(text, options, (value) => {
    const parsed = metricBatchSchema.safeParse(value);
    return parsed.success ? parsed.data : `not a metric batch: ${describeIssues(parsed.error)}`;
  });
  const bySeries = new Map<string, MetricSeries>();
  for (const batch of batches.records) addBatch(bySeries, batch);
  for (const series of bySeries.values()) sortSeries(series);
  return { records: [...bySeries.values()], skipped: batches.skipped };
}

function addBatch(bySeries: Map<string, MetricSeries>, batch: MetricBatch): void {
  for (const sample of batch.samples) {
    const metric = seriesName(sample.name, sample.labels);
    const key = `${batch.service}\u0000${metric}`;
    let series = bySeries.get(key);
    if (!series)
      bySeries.set(key, (series = { service: batch.service, metric, times: [], values: [] }));
    series.times.push(Date.parse(sample.time));
    series.values.push(sample.value);
  }
}

function sortSeries(series: MetricSeries): void {
  const order = series.times.map((_, i) => i).sort((a, b) => series.times[a] - series.times[b]);
  series.times = order.map((i) => series.times[i]);
  series.values = order.map((i) => series.values[i]);
}

/**
 * Log records as JSON Lines in the log contract (`vigil.logs.v1`), as log lines: the same lines a
 * CSV export gives, so both go through the same detectors and series.
 */
export function parseLogJsonl(text: string, options: ReadOptions): ReadResult<LogLine> {
  return readJsonLines(text, options, (value) => {
    const parsed = logRecordSchema.safeParse(value);
    return parsed.success
      ? logLineOfRecord(parsed.data)
      : `not a log record: ${describeIssues(parsed.error)}`;
  });
}

/** A span of vigil.traces.v1 as the span evidence reads it. */
export function spanRecordOfTraceSpan(span: TraceSpan): SpanRecord {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId && { parentId: span.parentSpanId }),
    service: span.service,
    operation: span.operation,
    start: Date.parse(span.time),
    durationMs: span.durationMs,
    error: span.status === 'error',
  };
}

/** A record of vigil.logs.v1 as a log line, with the trace and span ids the OTLP receiver keeps. */
export function logLineOfRecord(record: LogRecord): LogLine {
  const traceId = record.attributes.trace_id;
  const spanId = record.attributes.span_id;
  return {
    service: record.service,
    level: record.level,
    body: record.body,
    time: Date.parse(record.time),
    ...(typeof traceId === 'string' && typeof spanId === 'string' && { traceId, spanId }),
  };
}

/** The message and level of a raw log line, through up to two layers of JSON wrapping. */
export function unwrapLogLine(raw: string, givenLevel = ''): { body: string; level: LogLineLevel } {
  let body = raw;
  let level = givenLevel;
  for (let depth = 0; depth < 2 && body.startsWith('{'); depth++) {
    try {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      const inner = parsed.message ?? parsed.msg ?? parsed.log;
      if (typeof inner !== 'string') break;
      if (!level) level = String(parsed.severity ?? parsed.level ?? '');
      body = inner.trim();
    } catch {
      break;
    }
  }
  return { body, level: levelOf(level, body) };
}

function levelOf(given: string, body: string): LogLineLevel {
  const text = (given || (/\b(FATAL|ERROR|WARN(?:ING)?|INFO|DEBUG|TRACE)\b/i.exec(body)?.[1] ?? ''))
    .toLowerCase()
    .replace('warning', 'warn');
  return (
    (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const).find((l) => l === text) ??
    'info'
  );
}
