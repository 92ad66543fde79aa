import type { Command } from 'commander';
import { alertSchema, describeIssues, type Alert } from '@vigil/contracts';
import {
  evaluateRankings,
  evaluateRankingsByFaultType,
  rankedServices,
  rankRootCauses,
  rcaCaseOf,
  readJsonLines,
  type AlertEvidence,
  type RankedRootCause,
  type RankedCaseOutcome,
  type RcaCase,
  type RcaTopology,
  type StepTransitionCount,
} from '@vigil/rca';
import { readInputFile } from './input-file';
import { numberOption } from './number-option';
import { progressBar } from './progress-bar';
import {
  caseFolderOf,
  caseLabel,
  checkAnomalyStart,
  LABEL_RULE,
  readCaseFolder,
  readCaseFolders,
  type CaseReading,
} from './rca-case-input';
import { sourceProblem, withPrometheusSeries } from './rca-prometheus-input';
import {
  readLogEvidence,
  readMetrics,
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

function topologyOption(options: RcaOptions): RcaTopology | undefined {
  return options.topology ? readTopologyGraph(options.topology) : undefined;
}

/**
 * `--metrics` (CSV in the RCAEval layout, CSV rows per pod or service, or JSONL metric batches; a
 * file or a folder), `--traces`, `--logs` and `--alerts`, with the other files. Traces add their
 * per-service series and, without `--topology`, the call graph they show.
 */
function caseFromFiles(options: RcaOptions, reading: CaseReading): RcaCase {
  const { topology: given, lenient, skipped } = reading;
  if ((!options.metrics && !options.traces && !options.prometheus) || !options.anomalyStart)
    throw new Error(
      'give --metrics, --traces or --prometheus, and --anomaly-start (or --case DIR, or --cases DIR)',
    );
  if (options.prometheus && !options.metrics && !options.traces && !options.topology)
    throw new Error('--prometheus needs --topology: its entities are what Prometheus is asked for');
  const anomalyStart = parseTime(options.anomalyStart, '--anomaly-start');
  const base = options.metrics
    ? metricsCase(options.metrics, anomalyStart, given, lenient, skipped)
    : { topology: given ?? { services: [], edges: [] }, series: [], anomalyStart };
  let transitions: StepTransitionCount[] | undefined;
  if (options.traces) {
    const traces = readTraceEvidence(options.traces, lenient, skipped);
    base.series = [...base.series, ...traces.series];
    transitions = traces.transitions;
    const services = new Set([...base.topology.services, ...traces.series.map((s) => s.service)]);
    base.topology = {
      services: [...services].sort(),
      edges: given ? base.topology.edges : [...base.topology.edges, ...traces.edges],
    };
  }
  const logs = options.logs
    ? readLogEvidence(options.logs, anomalyStart, lenient, skipped)
    : undefined;
  return {
    ...base,
    series: [...base.series, ...(logs?.series ?? [])],
    alerts: options.alerts ? readAlerts(options.alerts, lenient, skipped) : undefined,
    logs: logs?.evidence,
    transitions:
      transitions || logs ? [...(transitions ?? []), ...(logs?.transitions ?? [])] : undefined,
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
  const series = readMetrics(path, { lenient, topology, skipped });
  if (!series.some((s) => s.times.length > 0))
    throw new Error(`${path} holds no metric points${skippedNote(skipped)}`);
  return rcaCaseOf(series, anomalyStart, topology);
}

const skippedNote = (skipped: SkippedRows) => {
  const summary = skipped.summary();
  return summary ? ` (${summary})` : '';
};

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

/**
 * Every case under a folder (RCAEval layout, labels from the `<service>_<fault>` folder names
 * below it). A case that cannot be read is named with why and left out of the figures; only a
 * folder none of whose cases can be read is an error.
 */
function evaluateFolder(options: RcaOptions, reading: CaseReading): void {
  const root = options.cases ?? '';
  const read = readCaseFolders(
    root,
    reading,
    ({ label, input }): RankedCaseOutcome => ({
      rootService: label.rootService,
      faultType: label.faultType,
      ranking: rankedServices(rankRootCauses(input)),
    }),
    progressBar('ranking'),
  );
  for (const problem of read.unreadable) process.stderr.write(`case left out: ${problem}\n`);
  reading.skipped.report('\n');
  const outcomes = read.results;
  if (outcomes.length === 0)
    throw new Error(
      `no case under ${root} could be read (${read.unreadable.length} left out, above)`,
    );
  const overall = evaluateRankings(outcomes);
  const left = read.unreadable.length > 0 ? ` (${read.unreadable.length} more left out)` : '';
  process.stdout.write(
    `\n${outcomes.length} cases${left}, detection ${options.late} s after injection\n`,
  );
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
  const skipped = new SkippedRows();
  const reading = { topology: topologyOption(options), lateMs, lenient, skipped };
  if (options.cases) return evaluateFolder(options, reading);
  const folder = options.case ? caseFolderOf(options.case) : undefined;
  let input = folder ? readCaseFolder(folder, reading) : caseFromFiles(options, reading);
  if (options.prometheus) {
    const read = await withPrometheusSeries(input, options.prometheus);
    input = read.input;
    const problem = sourceProblem(read.source);
    if (problem) process.stderr.write(`${problem}\n`);
  }
  // a case folder's start (its injection) was checked as it was read
  if (!folder) checkAnomalyStart(input);
  const ranked = rankRootCauses(input);
  skipped.report();
  if (options.json) {
    process.stdout.write(JSON.stringify(ranked.slice(0, top), null, 2) + '\n');
    return;
  }
  printRanking(ranked, top);
  if (folder) printLabel(ranked, folder);
}

/** Where `--case`'s labelled root cause ranked, or why there is no label. */
function printLabel(ranked: readonly RankedRootCause[], folder: string): void {
  const label = caseLabel(folder);
  if (!label) {
    process.stderr.write(`${folder}: no label, so no rank of the root cause: ${LABEL_RULE}\n`);
    return;
  }
  const rank = rankedServices(ranked).indexOf(label.rootService) + 1;
  process.stdout.write(
    `\nlabelled root cause: ${label.rootService} (${label.faultType}), ranked ${rank > 0 ? `#${rank}` : 'not at all'}\n`,
  );
}

export function registerRcaCommand(program: Command): void {
  program
    .command('rca')
    .description('rank the root causes of an incident offline, with the library apps/rca runs')
    .option('--topology <file>', 'topology file (YAML/JSON) or { services, edges } JSON')
    .option(
      '--metrics <file|dir>',
      'metrics: CSV (time, <service>_<metric> columns, or one row per pod/service and time) or JSONL metric batches; in a folder, a CSV that is no metrics table is passed over and named',
    )
    .option('--alerts <file>', 'alerts as JSONL (the alert contract)')
    .option(
      '--logs <file|dir>',
      'log records as JSONL (the log contract) or CSV exports (time, pod or service, line), read alike: bursts, new templates, error lines and template mix; in a folder, a CSV that is no log table is passed over and named',
    )
    .option(
      '--traces <file|dir>',
      'spans as CSV (trace/span/parent ids, service or pod, operation, start/end) or JSONL: latency, calls, network time and the call graph; in a folder, a CSV that is no span table is passed over and named',
    )
    .option(
      '--prometheus <url>',
      "also read the topology's metrics from this Prometheus (query_range; labels and queries from RCA_PROMETHEUS_*)",
    )
    .option(
      '--lenient',
      'skip malformed rows (and say how many) instead of stopping at the first with file:line',
    )
    .option(
      '--anomaly-start <time>',
      'when the trouble began (ISO or epoch seconds); when unsure, a few minutes before the first alert: what came before is read as normal',
    )
    .option('--end <time>', 'ignore data after this time')
    .option(
      '--case <dir|file>',
      "one case in the RCAEval layout: a folder with data.csv and inject_time.txt, or its data.csv; the root cause's rank is shown when the folder is named <service>_<fault>, or is a run number in such a folder (cartservice_cpu/1): no folder further up is read",
    )
    .option(
      '--cases <dir>',
      'every RCAEval case under a folder, labelled by the folder names below it (<service>_<fault>/<run>): prints AC@1, AC@3, Avg@5; a case without a label or with a missing or malformed file is named and left out (an error only when no case can be read)',
    )
    .option('--late <seconds>', 'move the detection time this much after the injection', '0')
    .option('--top <n>', 'candidates to show', '5')
    .option('--json', 'print the ranking as JSON')
    .action(rca);
}
