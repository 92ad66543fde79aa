// Reads the Nezha data set's folders (rca_data/<day>/, construct_data/<day>/) into ranking cases:
// every signal a deployment would have, cut around each labelled fault. File reading only; the
// parsing and the evidence are libs/rca's, the same code `vigil rca` runs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { liveReplayCases } from './live-replay';
import {
  JOIN_MS,
  LOG_BIN_MS,
  recordedIntervals,
  recordedPoints,
  windowed,
} from './recorded-intervals';
import {
  logAnomaliesOverTime,
  logEvidenceFrom,
  logBehaviourSeries,
  lineStepTransitions,
  linesBySpan,
  logLineSeries,
  parseEntityMetricsCsv,
  parseFaultList,
  parseLogCsv,
  parseSpanCsv,
  spanEvidence,
  strongestLogEvidence,
  type LabelledFault,
  type LogLine,
  type RcaCase,
  type RcaEdge,
  type SpanRecord,
} from '@vigil/rca';

export interface RealCase {
  system: string;
  id: string;
  fault: LabelledFault;
  /** Every signal, with the call graph (traces' parent/child calls and any shipped call graph). */
  withGraph: RcaCase;
  /** The same signals with the services only, no edges. */
  withoutGraph: RcaCase;
  /**
   * With the call graph, as apps/rca's evidence store hands it over after the window's records
   * streamed in (`live`: see live-replay.ts).
   */
  live?: RcaCase;
}

export interface DayLoad {
  cases: RealCase[];
  unreadable: string[];
  skippedRows: number;
}

/**
 * History before the injection that a case sees (metrics, and the trace and log files recorded in
 * it: the day's earlier cases, a few minutes each), and data after it. apps/rca keeps an hour.
 */
const HISTORY_BEFORE_MS = 30 * 60_000;
const AFTER_MS = 5 * 60_000;

export function dayFolders(root: string): string[] {
  const rca = join(root, 'rca_data');
  if (!existsSync(rca)) throw new Error(`${root} has no rca_data/ folder (a Nezha data set)`);
  return readdirSync(rca)
    .filter((d) => existsSync(join(rca, d, `${d}-fault_list.json`)))
    .sort()
    .map((d) => join(rca, d));
}

/** A name for the report only: which of the data set's two shops a day recorded. */
export function systemOf(services: readonly string[]): string {
  if (services.includes('frontend') && services.includes('cartservice')) return 'online-boutique';
  if (services.some((s) => s.startsWith('ts-'))) return 'train-ticket';
  return `other (${services.length} services)`;
}

export function loadDay(
  dayDir: string,
  options: {
    lateMs: number[];
    lenient: boolean;
    /** Also replay each case through apps/rca's evidence store. */
    live?: boolean;
    onProgress?: (text: string) => void;
  },
): Map<number, DayLoad> {
  const day = basename(dayDir);
  const labels = readLabels(join(dayDir, `${day}-fault_list.json`));
  let skippedRows = 0;
  const read = <T>(
    file: string,
    parse: (
      text: string,
      o: { file: string; lenient: boolean },
    ) => { records: T[]; skipped: number },
  ) => {
    const result = parse(readFileSync(file, 'utf8'), { file, lenient: options.lenient });
    skippedRows += result.skipped;
    return result.records;
  };

  options.onProgress?.(`${day}: metrics`);
  const metricDir = join(dayDir, 'metric');
  const metrics = readdirSync(metricDir)
    .filter((f) => f.endsWith('_metric.csv'))
    .flatMap((f) => read(join(metricDir, f), parseEntityMetricsCsv));
  const shippedGraph = readCallGraph(join(metricDir, 'dependency.csv'));

  options.onProgress?.(`${day}: logs`);
  const logFiles = [
    ...minuteFiles(join(dayDir, '..', '..', 'construct_data', day, 'log')),
    ...minuteFiles(join(dayDir, 'log')),
  ].map((f) => read<LogLine>(f.path, parseLogCsv));
  const logLines = logFiles.flat();
  const logRecorded = recordedIntervals(
    logFiles.map((lines) => lines.map((l) => l.time)),
    JOIN_MS,
  );
  const logEvidence = logAnomaliesOverTime(logLines);
  // the normal periods' lines first, then the day's: every case's template mix has a history
  const spanLines = linesBySpan(logLines);
  const logShift = logBehaviourSeries(logLines, spanLines);
  const lineSteps = lineStepTransitions(logLines, spanLines);

  const traceFiles = minuteFiles(join(dayDir, 'trace'));
  const byLate = new Map<number, DayLoad>(
    options.lateMs.map((late) => [
      late,
      { cases: [], unreadable: labels.unreadable, skippedRows: 0 },
    ]),
  );
  labels.faults.forEach((fault, i) => {
    options.onProgress?.(`${day}: case ${i + 1}/${labels.faults.length}`);
    const spans = traceFiles
      .filter((f) => f.minute >= fault.at - HISTORY_BEFORE_MS && f.minute <= fault.at + AFTER_MS)
      .flatMap((f) => read<SpanRecord>(f.path, parseSpanCsv));
    const traces = spanEvidence(spans);
    // The case is ranked AFTER_MS after the injection, with every source's data up to then. Trace
    // and log files stop about two minutes after the injection: the ranker reads a series that
    // stops as a service gone only while the other services' series of that kind keep coming.
    const end = fault.at + AFTER_MS;
    const transitions = [
      ...traces.transitions,
      ...lineSteps.filter((t) => t.at >= fault.at - HISTORY_BEFORE_MS && t.at <= end),
    ];
    // log volume over the same history as the metrics, its recorded minutes only: the files are
    // snippets, and a count across the gaps between them would read them as a silent service
    const caseMetrics = metrics.map((m) =>
      windowed(m, fault.at - HISTORY_BEFORE_MS, fault.at + AFTER_MS),
    );
    const caseLines = logLines.filter(
      (l) => l.time >= fault.at - HISTORY_BEFORE_MS && l.time <= fault.at + AFTER_MS,
    );
    const series = [
      ...caseMetrics,
      ...traces.series,
      ...logLineSeries(caseLines, LOG_BIN_MS).map((s) =>
        recordedPoints(s, logRecorded, LOG_BIN_MS),
      ),
      ...logShift
        .map((m) => windowed(m, fault.at - HISTORY_BEFORE_MS, fault.at + AFTER_MS))
        .filter((s) => s.times.length > 0),
    ];
    const services = [
      ...new Set([...series.map((s) => s.service), ...traces.spansPerService.keys()]),
    ].sort();
    const edges = dedupeEdges([...traces.edges, ...shippedGraph]).filter(
      (e) => services.includes(e.from) && services.includes(e.to),
    );
    const live = options.live
      ? liveReplayCases(
          {
            metrics: caseMetrics,
            spans,
            logLines,
            logAnomalies: logEvidence,
            topology: { services, edges },
            from: fault.at - HISTORY_BEFORE_MS,
            end,
            logRecorded,
          },
          [...byLate.keys()].map((late) => fault.at + late),
        )
      : undefined;
    [...byLate].forEach(([late, load], k) => {
      // log evidence from shortly before the detection, as apps/rca and `vigil rca` take it
      const anomalyStart = fault.at + late;
      const logs = strongestLogEvidence(logEvidence, logEvidenceFrom(anomalyStart), end);
      const base: Omit<RcaCase, 'topology'> = { series, logs, transitions, anomalyStart, end };
      load.cases.push({
        system: systemOf(services),
        id: `${day} #${i + 1}`,
        fault,
        withGraph: { ...base, topology: { services, edges } },
        withoutGraph: { ...base, topology: { services, edges: [] } },
        ...(live && { live: live[k] }),
      });
    });
  });
  for (const load of byLate.values()) load.skippedRows = skippedRows;
  return byLate;
}

/** The day's fault list; one that cannot be read at all is reported as the day's one unreadable label. */
function readLabels(file: string): { faults: LabelledFault[]; unreadable: string[] } {
  try {
    return parseFaultList(readFileSync(file, 'utf8'), basename(file));
  } catch (error) {
    return { faults: [], unreadable: [(error as Error).message] };
  }
}

interface MinuteFile {
  path: string;
  minute: number;
}

/** `HH_MM_<kind>.csv` files of one day folder, with the minute each starts (UTC). */
function minuteFiles(dir: string): MinuteFile[] {
  if (!existsSync(dir)) return [];
  const day = basename(join(dir, '..'));
  return readdirSync(dir)
    .map((f) => {
      const m = /^(\d\d)_(\d\d)_/.exec(f);
      return m
        ? { path: join(dir, f), minute: Date.parse(`${day}T${m[1]}:${m[2]}:00Z`) }
        : undefined;
    })
    .filter((f): f is MinuteFile => f !== undefined && Number.isFinite(f.minute))
    .sort((a, b) => a.minute - b.minute);
}

/** A shipped call graph (`Source,Target[,Weight]`), when the data set has one. */
function readCallGraph(file: string): RcaEdge[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(','))
    .filter((cells) => cells.length >= 2 && cells[0] && cells[1])
    .map(([from, to]) => ({ from: from.trim(), to: to.trim(), type: 'CALLS' as const }));
}

function dedupeEdges(edges: RcaEdge[]): RcaEdge[] {
  const seen = new Map<string, RcaEdge>();
  for (const e of edges) if (e.from !== e.to) seen.set(`${e.from}>${e.to}`, e);
  return [...seen.values()];
}
