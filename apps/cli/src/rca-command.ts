import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import {
  alertSchema,
  describeIssues,
  logRecordSchema,
  metricBatchSchema,
  type Alert,
  type MetricBatch,
} from '@vigil/contracts';
import {
  evaluateRankings,
  evaluateRankingsByFaultType,
  logEvidenceOf,
  parseInjectTime,
  parseRcaEvalLabel,
  parseRcaEvalSeries,
  readJsonLines,
  RecordFormatError,
  rankedServices,
  rankRootCauses,
  rcaCaseOf,
  seriesName,
  SignalAnalyzer,
  type AlertEvidence,
  type LogEvidence,
  type MetricSeries,
  type RankedRootCause,
  type RcaCase,
  type RcaTopology,
  type RankedCaseOutcome,
} from '@vigil/rca';
import { readInputFile } from './input-file';
import { numberOption } from './number-option';
import { progressBar } from './progress-bar';
import { sourceProblem, withPrometheusSeries } from './rca-prometheus-input';
import {
  inputFiles,
  isEntityMetricsCsv,
  isJsonLines,
  readEntityMetrics,
  readLogCsvEvidence,
  readTraceEvidence,
  SkippedRows,
} from './rca-telemetry-input';
import { readTopologyGraph } from './topology-input';

interface RcaOptions {
  topology?: string;
  metrics?: string;
  alerts?: string;
  logs?: string;
  traces?: string;
  prometheus?: string;
  lenient?: boolean;
  anomalyStart?: string;
  end?: string;
  case?: string;
  cases?: string;
  late: string;
  top: string;
  json?: boolean;
}

function parseTime(text: string, flag: string): number {
  const numeric = Number(text);
  const time = Number.isFinite(numeric)
    ? numeric < 1e11
      ? numeric * 1000
      : numeric
    : Date.parse(text);
  if (!Number.isFinite(time))
    throw new Error(`${flag} must be an ISO time or epoch seconds, got "${text}"`);
  return time;
}

/**
 * The ranking compares what came after the anomaly start with what came before: a start outside
 * the data (a typo, seconds taken for milliseconds) would rank every service 0 without a word.
 */
function checkAnomalyStart(input: RcaCase, start = '--anomaly-start'): void {
  if (input.end !== undefined && input.end <= input.anomalyStart)
    throw new Error(`--end must come after ${start}`);
  // a loop, not Math.min(...times): tens of thousands of series would overflow the call's arguments
  let first = Infinity;
  let last = -Infinity;
  for (const { times } of input.series) {
    if (times.length === 0) continue;
    first = Math.min(first, times[0]);
    last = Math.max(last, times[times.length - 1]);
  }
  if (first === Infinity) return;
  const iso = (t: number) => new Date(t).toISOString();
  if (input.anomalyStart > last)
    throw new Error(
      `${start} (${iso(input.anomalyStart)}) is after the data, which ends at ${iso(last)}`,
    );
  if (input.anomalyStart <= first)
    throw new Error(
      `${start} (${iso(input.anomalyStart)}) leaves nothing before it to compare with: the data begins at ${iso(first)}`,
    );
}

/** Metric batches as on vigil.metrics.v1 (JSONL), into one series per service and metric. */
function readMetricBatches(path: string, lenient: boolean, skipped: SkippedRows): MetricSeries[] {
  const bySeries = new Map<string, MetricSeries>();
  const batches = readJsonLines(readInputFile(path), { file: path, lenient }, (value) => {
    const parsed = metricBatchSchema.safeParse(value);
    return parsed.success ? parsed.data : `not a metric batch: ${describeIssues(parsed.error)}`;
  });
  skipped.add('metric batches', batches);
  for (const batch of batches.records) addBatch(bySeries, batch);
  for (const series of bySeries.values()) sortSeries(series);
  return [...bySeries.values()];
}

function addBatch(bySeries: Map<string, MetricSeries>, batch: MetricBatch): void {
  for (const sample of batch.samples) {
    // Named as apps/rca names them, so a file gives the same evidence as the live stream.
    const metric = seriesName(sample.name, sample.labels);
    const key = `${batch.service}\u0000${metric}`;
    const series = bySeries.get(key) ?? {
      service: batch.service,
      metric,
      times: [],
      values: [],
    };
    bySeries.set(key, series);
    series.times.push(Date.parse(sample.time));
    series.values.push(sample.value);
  }
}

function sortSeries(series: MetricSeries): void {
  const order = series.times.map((_, i) => i).sort((a, b) => series.times[a] - series.times[b]);
  series.times = order.map((i) => series.times[i]);
  series.values = order.map((i) => series.values[i]);
}

function readAlerts(path: string, lenient: boolean, skipped: SkippedRows): AlertEvidence[] {
  const alerts = readJsonLines(readInputFile(path), { file: path, lenient }, (value) => {
    const parsed = alertSchema.safeParse(value);
    return parsed.success ? parsed.data : `not a valid alert: ${describeIssues(parsed.error)}`;
  });
  skipped.add('alerts', alerts);
  return alerts.records.map((alert: Alert) => ({
    service: alert.service,
    fingerprint: alert.fingerprint,
    alertname: alert.alertname,
    startsAt: Date.parse(alert.startsAt),
  }));
}

/** Log records (JSONL, the log contract) through the same detectors as apps/signals. */
function readLogEvidence(path: string, lenient: boolean, skipped: SkippedRows): LogEvidence[] {
  const analyzer = new SignalAnalyzer();
  const evidence: LogEvidence[] = [];
  const read = readJsonLines(readInputFile(path), { file: path, lenient }, (value) => {
    const parsed = logRecordSchema.safeParse(value);
    return parsed.success ? parsed.data : `not a log record: ${describeIssues(parsed.error)}`;
  });
  skipped.add('log records', read);
  const records = [...read.records].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  for (const record of records) {
    for (const anomaly of analyzer.observeLog(record)) {
      const found = logEvidenceOf(anomaly);
      if (found) evidence.push(found);
    }
  }
  return evidence;
}

function topologyOption(options: RcaOptions): RcaTopology | undefined {
  return options.topology ? readTopologyGraph(options.topology) : undefined;
}

/**
 * `--metrics` (CSV in the RCAEval layout, CSV rows per pod or service, or JSONL metric batches; a
 * file or a folder), `--traces`, `--logs` and `--alerts`, with the other files. Traces add their
 * per-service series and, without `--topology`, the call graph they show.
 */
function caseFromFiles(options: RcaOptions, lenient: boolean, skipped: SkippedRows): RcaCase {
  if ((!options.metrics && !options.traces && !options.prometheus) || !options.anomalyStart)
    throw new Error(
      'give --metrics, --traces or --prometheus, and --anomaly-start (or --case DIR, or --cases DIR)',
    );
  if (options.prometheus && !options.metrics && !options.traces && !options.topology)
    throw new Error('--prometheus needs --topology: its entities are what Prometheus is asked for');
  const anomalyStart = parseTime(options.anomalyStart, '--anomaly-start');
  const given = topologyOption(options);
  const base = options.metrics
    ? metricsCase(options.metrics, anomalyStart, given, lenient, skipped)
    : { topology: given ?? { services: [], edges: [] }, series: [], anomalyStart };
  if (options.traces) {
    const traces = readTraceEvidence(options.traces, lenient, skipped);
    base.series = [...base.series, ...traces.series];
    const services = new Set([...base.topology.services, ...traces.series.map((s) => s.service)]);
    base.topology = {
      services: [...services].sort(),
      edges: given ? base.topology.edges : [...base.topology.edges, ...traces.edges],
    };
  }
  const logs = options.logs ? readLogs(options.logs, anomalyStart, lenient, skipped) : undefined;
  return {
    ...base,
    series: [...base.series, ...(logs?.series ?? [])],
    alerts: options.alerts ? readAlerts(options.alerts, lenient, skipped) : undefined,
    logs: logs?.evidence,
    end: options.end ? parseTime(options.end, '--end') : undefined,
  };
}

function metricsCase(
  path: string,
  anomalyStart: number,
  topology: RcaTopology | undefined,
  lenient: boolean,
  skipped: SkippedRows,
): RcaCase {
  const files = inputFiles(path);
  const csv = files.filter((f) => !isJsonLines(f));
  const entity = csv.filter(isEntityMetricsCsv);
  const series = [
    ...readEntityMetrics(entity, lenient, skipped),
    ...csv
      .filter((f) => !entity.includes(f))
      .flatMap((file) => wideMetrics(file, files.length > 1, lenient, topology, skipped)),
    ...files.filter(isJsonLines).flatMap((f) => readMetricBatches(f, lenient, skipped)),
  ];
  if (!series.some((s) => s.times.length > 0))
    throw new Error(`${path} holds no metric points${skippedNote(skipped)}`);
  return rcaCaseOf(series, anomalyStart, topology);
}

/**
 * A CSV of `time` and `<service>_<metric>` columns. In a folder, a CSV whose header is no such
 * table (a call graph, a list of pods) is passed over and named; given alone, it is an error.
 */
function wideMetrics(
  file: string,
  inFolder: boolean,
  lenient: boolean,
  topology: RcaTopology | undefined,
  skipped: SkippedRows,
): MetricSeries[] {
  try {
    const read = parseRcaEvalSeries(readInputFile(file), { file, lenient, topology });
    skipped.add('metric rows', read);
    return read.series;
  } catch (error) {
    if (!inFolder || !(error instanceof RecordFormatError) || error.line !== 1) throw error;
    process.stderr.write(`not metrics, passed over: ${error.message}\n`);
    return [];
  }
}

const skippedNote = (skipped: SkippedRows) => {
  const summary = skipped.summary();
  return summary ? ` (${summary})` : '';
};

/** Log records as JSONL (the log contract), or CSV exports (a file or a folder). */
function readLogs(
  path: string,
  anomalyStart: number,
  lenient: boolean,
  skipped: SkippedRows,
): { evidence: LogEvidence[]; series: MetricSeries[] } {
  const files = inputFiles(path);
  const csv = files.filter((f) => !isJsonLines(f));
  const fromCsv =
    csv.length > 0
      ? readLogCsvEvidence(csv, anomalyStart, lenient, skipped)
      : { evidence: [], series: [] };
  return {
    evidence: [
      ...files.filter(isJsonLines).flatMap((f) => readLogEvidence(f, lenient, skipped)),
      ...fromCsv.evidence,
    ],
    series: fromCsv.series,
  };
}

function readCaseFolder(
  folder: string,
  topology: RcaTopology | undefined,
  lateMs: number,
  lenient: boolean,
  skipped: SkippedRows,
): RcaCase {
  const data = join(folder, 'data.csv');
  const inject = join(folder, 'inject_time.txt');
  if (!existsSync(data) || !existsSync(inject))
    throw new Error(`${folder} is not an RCAEval case: it needs data.csv and inject_time.txt`);
  const anomalyStart = parseInjectTime(readInputFile(inject), inject) + lateMs;
  const read = parseRcaEvalSeries(readInputFile(data), { topology, file: data, lenient });
  skipped.add('metric rows', read);
  const input = rcaCaseOf(read.series, anomalyStart, topology);
  checkAnomalyStart(
    input,
    `the injection of ${inject}${lateMs ? ` + --late ${lateMs / 1000} s` : ''}`,
  );
  return input;
}

const at = (time: number | undefined) =>
  time === undefined ? '-' : new Date(time).toISOString().slice(11, 19);

/** The ranking as people read it: candidates, their strongest evidence, and the explaining path. */
function printRanking(ranked: readonly RankedRootCause[], top: number): void {
  const rows = ranked.slice(0, top);
  process.stdout.write(
    'rank  service                         score   onset     strongest evidence\n',
  );
  rows.forEach((cause, i) => {
    const metric = cause.evidence.metrics[0];
    const strongest = metric
      ? `${metric.metric} ${metric.direction} (robust score ${metric.score.toFixed(1)})`
      : (cause.evidence.alerts[0]?.alertname ?? '-');
    process.stdout.write(
      `${String(i + 1).padStart(4)}  ${cause.service.padEnd(30)} ${cause.score.toFixed(3).padStart(6)}   ${at(cause.evidence.onset)}  ${strongest}\n`,
    );
  });
  const first = rows[0];
  if (first && first.score > 0) {
    process.stdout.write(`\nwhy ${first.service}: ${first.path.join(' ──▶ ')}\n`);
    for (const m of first.evidence.metrics.slice(0, 5))
      process.stdout.write(
        `  ${m.metric} ${m.direction} from ${at(m.onset)} (score ${m.score.toFixed(1)})\n`,
      );
    for (const a of first.evidence.alerts.slice(0, 3))
      process.stdout.write(`  alert ${a.alertname} since ${at(a.startsAt)}\n`);
  }
}

function findCaseFolders(root: string): string[] {
  if (!existsSync(root)) throw new Error(`${root} does not exist`);
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a folder: --cases takes one`);
  const found: string[] = [];
  const visit = (folder: string) => {
    if (existsSync(join(folder, 'data.csv'))) found.push(folder);
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) visit(path);
    }
  };
  visit(root);
  return found.sort();
}

/** Every case under a folder (RCAEval layout, labels from the `<service>_<fault>` folder names). */
function evaluateFolder(options: RcaOptions, lateMs: number, lenient: boolean): void {
  const root = options.cases ?? '';
  const folders = findCaseFolders(root);
  if (folders.length === 0) throw new Error(`no case folders (with data.csv) under ${root}`);
  const topology = topologyOption(options);
  const skipped = new SkippedRows();
  const progress = progressBar('ranking');
  const outcomes: RankedCaseOutcome[] = [];
  folders.forEach((folder, i) => {
    const label = parseRcaEvalLabel(relative(root, folder)) ?? parseRcaEvalLabel(folder);
    if (!label) throw new Error(`${folder}: cannot tell the root cause from the folder names`);
    const ranked = rankRootCauses(readCaseFolder(folder, topology, lateMs, lenient, skipped));
    outcomes.push({
      rootService: label.rootService,
      faultType: label.faultType,
      ranking: rankedServices(ranked),
    });
    progress(i + 1, folders.length);
  });
  skipped.report('\n');
  const overall = evaluateRankings(outcomes);
  process.stdout.write(`\n${folders.length} cases, detection ${options.late} s after injection\n`);
  process.stdout.write('fault type            cases   AC@1   AC@3  Avg@5\n');
  const line = (name: string, m: typeof overall) =>
    process.stdout.write(
      `${name.padEnd(20)} ${String(m.cases).padStart(6)}  ${m.ac1.toFixed(3)}  ${m.ac3.toFixed(3)}  ${m.avg5.toFixed(3)}\n`,
    );
  for (const [faultType, metrics] of evaluateRankingsByFaultType(outcomes))
    line(faultType, metrics);
  line('overall', overall);
}

async function rca(options: RcaOptions): Promise<void> {
  const top = numberOption(options.top, '--top', { integer: true, min: 1 });
  const lateMs = numberOption(options.late, '--late') * 1000;
  const lenient = options.lenient === true;
  if (options.cases) return evaluateFolder(options, lateMs, lenient);
  const skipped = new SkippedRows();
  let input = options.case
    ? readCaseFolder(options.case, topologyOption(options), lateMs, lenient, skipped)
    : caseFromFiles(options, lenient, skipped);
  if (options.prometheus) {
    const read = await withPrometheusSeries(input, options.prometheus);
    input = read.input;
    const problem = sourceProblem(read.source);
    if (problem) process.stderr.write(`${problem}\n`);
  }
  // a case folder's start (its injection) was checked as it was read
  if (!options.case) checkAnomalyStart(input);
  const ranked = rankRootCauses(input);
  skipped.report();
  if (options.json) {
    process.stdout.write(JSON.stringify(ranked.slice(0, top), null, 2) + '\n');
    return;
  }
  printRanking(ranked, top);
  const label = options.case ? parseRcaEvalLabel(options.case) : undefined;
  if (label) {
    const rank = rankedServices(ranked).indexOf(label.rootService) + 1;
    process.stdout.write(
      `\nlabelled root cause: ${label.rootService} (${label.faultType}), ranked ${rank > 0 ? `#${rank}` : 'not at all'}\n`,
    );
  }
}

export function registerRcaCommand(program: Command): void {
  program
    .command('rca')
    .description('rank the root causes of an incident offline, with the library apps/rca runs')
    .option('--topology <file>', 'topology file (YAML/JSON) or { services, edges } JSON')
    .option(
      '--metrics <file|dir>',
      'metrics: CSV (time, <service>_<metric> columns, or one row per pod/service and time) or JSONL metric batches',
    )
    .option('--alerts <file>', 'alerts as JSONL (the alert contract)')
    .option(
      '--logs <file|dir>',
      'log records as JSONL (the log contract) or CSV exports (time, pod or service, line): bursts and new templates',
    )
    .option(
      '--traces <file|dir>',
      'spans as CSV (trace/span/parent ids, service or pod, operation, start/end) or JSONL: latency, calls, network time and the call graph',
    )
    .option(
      '--prometheus <url>',
      "also read the topology's metrics from this Prometheus (query_range; labels and queries from RCA_PROMETHEUS_*)",
    )
    .option('--lenient', 'skip malformed rows (and say how many) instead of stopping at the first')
    .option(
      '--anomaly-start <time>',
      'when the trouble began (ISO or epoch seconds); when unsure, a few minutes before the first alert: what came before is read as normal',
    )
    .option('--end <time>', 'ignore data after this time')
    .option('--case <dir>', 'one case in the RCAEval layout (data.csv, inject_time.txt)')
    .option('--cases <dir>', 'every RCAEval case under a folder: prints AC@1, AC@3, Avg@5')
    .option('--late <seconds>', 'move the detection time this much after the injection', '0')
    .option('--top <n>', 'candidates to show', '5')
    .option('--json', 'print the ranking as JSON')
    .action(rca);
}
