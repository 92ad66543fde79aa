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
  logBehaviourSeries,
  logEvidenceFromLines,
  logLineSeries,
  parseEntityMetricsCsv,
  parseLogCsv,
  parseSpanCsv,
  parseSpanJsonl,
  spanEvidence,
  type LogEvidence,
  type MetricSeries,
  type RcaEdge,
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

/** Spans (CSV exports or JSONL) into per-service series and the call graph they show. */
export function readTraceEvidence(
  path: string,
  lenient: boolean,
  skipped: SkippedRows,
): { series: MetricSeries[]; edges: RcaEdge[] } {
  const spans = inputFiles(path).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const result = isJsonLines(file)
      ? parseSpanJsonl(text, { file, lenient })
      : parseSpanCsv(text, { file, lenient });
    skipped.add('span rows', result);
    return result.records;
  });
  if (spans.length === 0) throw new Error(`${path} holds no spans`);
  const evidence = spanEvidence(spans);
  return { series: evidence.series, edges: evidence.edges };
}

/**
 * Log lines from CSV exports through the log detectors (lines before `from` are what normal is),
 * their volume per service as series (lines, error and fatal lines), and how their template mix and
 * request paths moved.
 */
export function readLogCsvEvidence(
  files: readonly string[],
  from: number,
  lenient: boolean,
  skipped: SkippedRows,
): { evidence: LogEvidence[]; series: MetricSeries[] } {
  const lines = files.flatMap((file) => {
    const result = parseLogCsv(readFileSync(file, 'utf8'), { file, lenient });
    skipped.add('log rows', result);
    return result.records;
  });
  return {
    evidence: logEvidenceFromLines(lines, { from, config: { warmupMs: 0 } }),
    series: [...logLineSeries(lines), ...logBehaviourSeries(lines)],
  };
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

export function readEntityMetrics(
  files: readonly string[],
  lenient: boolean,
  skipped: SkippedRows,
): MetricSeries[] {
  return files.flatMap((file) => {
    const result = parseEntityMetricsCsv(readFileSync(file, 'utf8'), { file, lenient });
    skipped.add('metric rows', result);
    return result.records;
  });
}
