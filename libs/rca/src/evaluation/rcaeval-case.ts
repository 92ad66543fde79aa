import type { MetricSeries, RcaCase, RcaTopology } from '../rca-case';
import { epochMs, metricCell, parseCsvTable, RecordFormatError } from '../telemetry/csv-table';
import { readCsvRows, type ReadOptions } from '../telemetry/record-reader';

/**
 * Reads a case in the RCAEval layout (Pham et al., "RCAEval: A Benchmark for Root Cause Analysis
 * of Microservice Systems"): a folder `<system>/<service>_<fault>/<run>/` holding `data.csv` (a
 * `time` column, then one `<service>_<metric>` column per metric, e.g. `cartservice_cpu`,
 * `carts_lat_90`, `adservice_latency-50`) and `inject_time.txt` (the injection time). Pure
 * parsing of the files' text; reading them is the caller's job.
 *
 * Times are taken as epoch seconds (RCAEval's unit) unless they are clearly milliseconds (larger
 * than 1e11) or ISO dates. Empty cells, and the spellings of a missing value pandas and others
 * write (`nan`, `null`, `inf` ...), are missing points: left out of the series, as a scrape that
 * never happened. Any other cell that is not a number, a time that is not a time, or a row whose
 * cells do not match the header is a malformed row (`file:line`, or skipped under `lenient`).
 */

export interface RcaEvalParseOptions extends Partial<ReadOptions> {
  /** The system's topology, when known (RCAEval ships none); default: the services of the columns, no edges. */
  topology?: RcaTopology;
}

export interface RcaEvalLabel {
  rootService: string;
  faultType: string;
  /** The run folder (`1`, `2`, ...), when the path has one. */
  run?: string;
}

/**
 * Where a row's time is, in order: the first that reads as a time wins (Nezha's exports write a
 * Go time string beside an epoch `timestamp`).
 */
const TIME_COLUMNS = ['time', 'Time', 'timestamp', 'TimeStamp'];

/** Columns that are no metric: the times, and the index columns pandas writes. */
const IGNORED_COLUMNS = new Set([...TIME_COLUMNS, '', 'time.1', 'Unnamed: 0', 'index']);

/** Parses `data.csv` and `inject_time.txt` into a case whose anomalous period starts at the injection. */
export function parseRcaEvalCase(
  dataCsv: string,
  injectTimeText: string,
  options: RcaEvalParseOptions = {},
): RcaCase {
  const { series } = parseRcaEvalSeries(dataCsv, options);
  return rcaCaseOf(series, parseInjectTime(injectTimeText), options.topology);
}

/** A case of these series from `anomalyStart`: on `topology`, else their services without edges. */
export function rcaCaseOf(
  series: MetricSeries[],
  anomalyStart: number,
  topology?: RcaTopology,
): RcaCase {
  const services = [...new Set(series.map((s) => s.service))].sort();
  return { topology: topology ?? { services, edges: [] }, series, anomalyStart };
}

/** The injection time of `inject_time.txt` (epoch seconds, ms or ISO), in epoch ms. */
export function parseInjectTime(text: string, file = 'inject_time'): number {
  const time = parseTime(text.trim());
  if (time === undefined) throw new Error(`${file}: "${text.trim()}" is not a time`);
  return time;
}

/**
 * The series of a `data.csv` (a `time` column, `<service>_<metric>` columns), with the malformed
 * rows skipped under `lenient`. Known services of `options.topology` split the column names.
 */
export function parseRcaEvalSeries(
  dataCsv: string,
  options: RcaEvalParseOptions = {},
): { series: MetricSeries[]; skipped: number } {
  const read: ReadOptions = { file: options.file ?? 'data.csv', lenient: options.lenient };
  const table = parseCsvTable(dataCsv, read.file);
  const timeColumns = TIME_COLUMNS.map((name) => table.header.indexOf(name)).filter((i) => i >= 0);
  if (timeColumns.length === 0) throw new RecordFormatError(read.file, 1, 'no `time` column');
  if (table.rows.length === 0) throw new Error(`${read.file} has no data rows`);
  const known = options.topology?.services;
  // a column none of whose cells is a number (a status, a host name) is no metric
  const columns = table.header
    .map((name, index) => ({ index, name, parts: splitRcaEvalColumn(name, known) }))
    .filter((c) => !IGNORED_COLUMNS.has(c.name) && c.parts !== undefined)
    .filter((c) => table.rows.some((row) => typeof metricCell(row.cells[c.index]) === 'number'));
  if (columns.length === 0)
    throw new RecordFormatError(
      read.file,
      1,
      'no `<service>_<metric>` column of numbers (e.g. cartservice_cpu)',
    );
  const rows = readCsvRows(table, read, (row) => readRow(row.cells, timeColumns, columns));
  const series: MetricSeries[] = columns.map((c) => ({
    service: c.parts?.service ?? '',
    metric: c.parts?.metric ?? '',
    times: [],
    values: [],
  }));
  for (const { time, values } of rows.records) {
    if (time === undefined) continue;
    values.forEach((value, i) => {
      if (value === undefined) return;
      series[i].times.push(time);
      series[i].values.push(value);
    });
  }
  return { series, skipped: rows.skipped };
}

/**
 * One row's time and values, or why it is malformed (its width is checked by {@link readCsvRows}).
 * A row without a time (pandas writes NaT as an empty cell) is a scrape that never happened, like
 * an empty value.
 */
function readRow(
  cells: readonly string[],
  timeColumns: readonly number[],
  columns: ReadonlyArray<{ index: number; name: string }>,
): { time: number | undefined; values: Array<number | undefined> } | string {
  const timeCells = timeColumns.map((i) => cells[i]?.trim() ?? '');
  if (timeCells.every((cell) => cell === '')) return { time: undefined, values: [] };
  const time = timeCells.map(parseTime).find((t) => t !== undefined);
  if (time === undefined) return `time "${timeCells[0]}" is not a time`;
  const values: Array<number | undefined> = [];
  for (const c of columns) {
    const value = metricCell(cells[c.index]);
    if (value === 'malformed') return `${c.name}: "${cells[c.index]}" is not a number`;
    values.push(value);
  }
  return { time, values };
}

/**
 * Splits a column name into service and metric. Known services win by longest prefix (so
 * `front-end_lat_90` gives `front-end` / `lat_90`); otherwise the service is everything before
 * the first underscore, as RCAEval's own evaluation takes it.
 */
export function splitRcaEvalColumn(
  column: string,
  knownServices?: readonly string[],
): { service: string; metric: string } | undefined {
  const known = (knownServices ?? [])
    .filter((s) => column.startsWith(`${s}_`) && column.length > s.length + 1)
    .sort((a, b) => b.length - a.length)[0];
  if (known !== undefined) return { service: known, metric: column.slice(known.length + 1) };
  const cut = column.indexOf('_');
  if (cut <= 0 || cut === column.length - 1) return undefined;
  return { service: column.slice(0, cut), metric: column.slice(cut + 1) };
}

/**
 * The label RCAEval keeps in a case's folder names: `<service>_<fault>/<run>` (e.g.
 * `online-boutique/cartservice_cpu/1`, or its `data.csv`); the fault is the part after the last
 * underscore. Only the case folder names it, or its parent when the case folder is a run number:
 * a folder further up is where the data was put (`/tmp/my_data/...`), not which fault it holds,
 * so a case folder named otherwise has no label (undefined) rather than a wrong one.
 */
export function parseRcaEvalLabel(path: string): RcaEvalLabel | undefined {
  const parts = path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  if (/\.(csv|txt|json)$/.test(parts[parts.length - 1] ?? '')) parts.pop();
  const run = /^\d+$/.test(parts[parts.length - 1] ?? '') ? parts.pop() : undefined;
  const name = parts[parts.length - 1] ?? '';
  const cut = name.lastIndexOf('_');
  if (cut <= 0 || cut === name.length - 1) return undefined;
  return { rootService: name.slice(0, cut), faultType: name.slice(cut + 1), run };
}

/** Epoch ms from epoch seconds, epoch ms or an ISO date. */
function parseTime(cell: string | undefined): number | undefined {
  const text = (cell ?? '').replace(/^"(.*)"$/, '$1');
  if (text === '') return undefined;
  const value = Number(text);
  if (Number.isFinite(value)) return epochMs(value);
  const date = Date.parse(text);
  return Number.isFinite(date) ? date : undefined;
}
