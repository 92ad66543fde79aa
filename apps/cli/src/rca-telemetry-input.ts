import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { extname, join } from 'node:path';
import {
  CsvSyntaxError,
  logCaseEvidence,
  parseEntityMetricsCsv,
  parseLogCsv,
  parseLogJsonl,
  parseMetricBatchJsonl,
  parseRcaEvalSeries,
  parseSpanCsv,
  parseSpanJsonl,
  RecordFormatError,
  spanEvidence,
  type MetricSeries,
  type RcaEdge,
  type RcaTopology,
  type StepTransitionCount,
} from '@vigil/rca';

/** Rows left out under `--lenient`, per kind of input, for the summary line. */
export class SkippedRows {
  readonly counts = new Map<string, number>();

  add(kind: string, result: { skipped: number }): void {
    if (result.skipped > 0) this.counts.set(kind, (this.counts.get(kind) ?? 0) + result.skipped);
  }

  summary(): string | undefined {
    if (this.counts.size === 0) return undefined;
    return `skipped malformed rows (--lenient): ${[...this.counts].map(([k, n]) => `${n} ${k}`).join(', ')}`;
  }

  /** The summary on stderr, when anything was skipped. */
  report(before = ''): void {
    const summary = this.summary();
    if (summary) process.stderr.write(`${before}${summary}\n`);
  }
}

const readable = (file: string) => ['.csv', '.jsonl'].includes(extname(file));

/**
 * A file as it is, whatever its name (read as CSV unless it ends in .jsonl), or every .csv and
 * .jsonl file under a folder, in name order; a folder with none is an error.
 */
export function inputFiles(path: string): string[] {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  if (!statSync(path).isDirectory()) return [path];
  const found = filesUnder(path);
  if (found.length === 0) throw new Error(`${path} holds no .csv or .jsonl file`);
  return found;
}

function filesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder).sort()) {
    const full = join(folder, entry);
    if (statSync(full).isDirectory()) found.push(...filesUnder(full));
    else if (readable(entry)) found.push(full);
  }
  return found;
}

/**
 * One file's records by `read`. In a folder, a CSV whose header is not of the kind wanted (an
 * error on its line 1: a call graph among metrics, a list of pods among spans) is passed over and
 * named on stderr; given alone, it is an error. A malformed row is never passed over: it stops the
 * run, or is skipped and counted under --lenient, wherever its file is.
 */
function passOverOtherCsv<T>(file: string, inFolder: boolean, kind: string, read: () => T[]): T[] {
  try {
    return read();
  } catch (error) {
    const header =
      error instanceof RecordFormatError &&
      !(error instanceof CsvSyntaxError) &&
      error.line === 1 &&
      !isJsonLines(file);
    if (!inFolder || !header) throw error;
    process.stderr.write(`not ${kind}, passed over: ${error.message}\n`);
    return [];
  }
}

const isFolder = (path: string) => statSync(path).isDirectory();

/**
 * Every record of the files `path` names (see inputFiles), each file through `parse`; skipped
 * rows are counted as `<kind without s> rows` (span rows, log rows).
 */
function readRecordFiles<T>(
  path: string,
  kind: 'spans' | 'logs',
  skipped: SkippedRows,
  parse: (text: string, file: string) => { records: T[]; skipped: number },
): T[] {
  const files = inputFiles(path);
  const inFolder = isFolder(path);
  return files.flatMap((file) =>
    passOverOtherCsv(file, inFolder, kind, () => {
      const result = parse(readFileSync(file, 'utf8'), file);
      skipped.add(`${kind.slice(0, -1)} rows`, result);
      return result.records;
    }),
  );
}

/** Spans (CSV exports or JSONL) into per-service series and the call graph they show. */
export function readTraceEvidence(
  path: string,
  lenient: boolean,
  skipped: SkippedRows,
): { series: MetricSeries[]; edges: RcaEdge[]; transitions: StepTransitionCount[] } {
  const spans = readRecordFiles(path, 'spans', skipped, (text, file) =>
    isJsonLines(file)
      ? parseSpanJsonl(text, { file, lenient })
      : parseSpanCsv(text, { file, lenient }),
  );
  if (spans.length === 0) throw new Error(`${path} holds no spans`);
  const evidence = spanEvidence(spans);
  return { series: evidence.series, edges: evidence.edges, transitions: evidence.transitions };
}

/**
 * Log lines from CSV exports and from JSONL in the log contract, read alike: through the log
 * detectors (evidence from shortly before `anomalyStart` on: logCaseEvidence), their volume per
 * service as series (lines, error and fatal lines), how their template mix and request paths
 * moved, and each span's lines as step sequences.
 */
export function readLogEvidence(
  path: string,
  anomalyStart: number,
  lenient: boolean,
  skipped: SkippedRows,
): ReturnType<typeof logCaseEvidence> {
  const lines = readRecordFiles(path, 'logs', skipped, (text, file) =>
    isJsonLines(file)
      ? parseLogJsonl(text, { file, lenient })
      : parseLogCsv(text, { file, lenient }),
  );
  return logCaseEvidence(lines, anomalyStart);
}

/**
 * Metrics from a file or a folder: CSV in the RCAEval layout (`time`, `<service>_<metric>`
 * columns), CSV rows per pod or service and time, and JSONL metric batches, all together.
 */
export function readMetrics(
  path: string,
  options: { lenient: boolean; topology?: RcaTopology; skipped: SkippedRows },
): MetricSeries[] {
  const files = inputFiles(path);
  const inFolder = isFolder(path);
  const { lenient, skipped } = options;
  return files.flatMap((file) =>
    passOverOtherCsv(file, inFolder, 'metrics', () => {
      const text = readFileSync(file, 'utf8');
      if (isJsonLines(file)) {
        const batches = parseMetricBatchJsonl(text, { file, lenient });
        skipped.add('metric batches', batches);
        return batches.records;
      }
      const read = isEntityMetricsCsv(file)
        ? parseEntityMetricsCsv(text, { file, lenient })
        : rcaEvalSeries(text, file, lenient, options.topology);
      skipped.add('metric rows', read);
      return read.records;
    }),
  );
}

function rcaEvalSeries(
  text: string,
  file: string,
  lenient: boolean,
  topology: RcaTopology | undefined,
): { records: MetricSeries[]; skipped: number } {
  const read = parseRcaEvalSeries(text, { file, lenient, topology });
  return { records: read.series, skipped: read.skipped };
}

/** Whether a file of {@link inputFiles} is JSON Lines (else CSV). */
export const isJsonLines = (file: string) => extname(file) === '.jsonl';

/** Whether a metrics CSV is one row per entity and time (a `PodName`/`service` column). */
export function isEntityMetricsCsv(file: string): boolean {
  // the header only: the whole file is read once, by its reader
  const head = Buffer.alloc(4096);
  const fd = openSync(file, 'r');
  let length: number;
  try {
    length = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const header = head.toString('utf8', 0, length).split(/\r?\n/)[0] ?? '';
  return /(^|,)"?(podname|pod|service|servicename|instance)"?(,|$)/i.test(header);
}
