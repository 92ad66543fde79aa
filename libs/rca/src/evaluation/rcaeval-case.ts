import type { MetricSeries, RcaCase, RcaTopology } from '../rca-case';

/**
 * Reads a case in the RCAEval layout (Pham et al., "RCAEval: A Benchmark for Root Cause Analysis
 * of Microservice Systems"): a folder `<system>/<service>_<fault>/<run>/` holding `data.csv` (a
 * `time` column, then one `<service>_<metric>` column per metric, e.g. `cartservice_cpu`,
 * `carts_lat_90`, `adservice_latency-50`) and `inject_time.txt` (the injection time). Pure
 * parsing of the files' text; reading them is the caller's job.
 *
 * Times are taken as epoch seconds (RCAEval's unit) unless they are clearly milliseconds (larger
 * than 1e11) or ISO dates. Empty and non-numeric cells are missing points: they are left out of
 * the series, as a scrape that never happened.
 */

export interface RcaEvalParseOptions {
  /** The system's topology, when known (RCAEval ships none); default: the services of the columns, no edges. */
  topology?: RcaTopology;
}

export interface RcaEvalLabel {
  rootService: string;
  faultType: string;
  /** The run folder (`1`, `2`, ...), when the path has one. */
  run?: string;
}

const IGNORED_COLUMNS = new Set(['', 'time', 'time.1', 'Time', 'Unnamed: 0', 'index']);

/** Parses `data.csv` and `inject_time.txt` into a case whose anomalous period starts at the injection. */
export function parseRcaEvalCase(
  dataCsv: string,
  injectTimeText: string,
  options: RcaEvalParseOptions = {},
): RcaCase {
  const rows = dataCsv.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (rows.length < 2) throw new Error('data.csv has no data rows');
  const header = splitCsvLine(rows[0]);
  const timeColumn = header.findIndex((name) => name === 'time' || name === 'Time');
  if (timeColumn < 0) throw new Error('data.csv has no `time` column');
  const known = options.topology?.services;
  const columns = header
    .map((name, index) => ({ index, name, parts: splitRcaEvalColumn(name, known) }))
    .filter((c) => !IGNORED_COLUMNS.has(c.name) && c.parts !== undefined);
  const series: MetricSeries[] = columns.map((c) => ({
    service: c.parts?.service ?? '',
    metric: c.parts?.metric ?? '',
    times: [],
    values: [],
  }));
  for (const line of rows.slice(1)) {
    const cells = splitCsvLine(line);
    const time = parseTime(cells[timeColumn]);
    if (time === undefined) continue;
    columns.forEach((c, i) => {
      const value = parseNumber(cells[c.index]);
      if (value === undefined) return;
      series[i].times.push(time);
      series[i].values.push(value);
    });
  }
  const anomalyStart = parseTime(injectTimeText.trim());
  if (anomalyStart === undefined)
    throw new Error(`inject_time "${injectTimeText.trim()}" is not a time`);
  return { topology: options.topology ?? topologyOf(series), series, anomalyStart };
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
 * The label RCAEval keeps in the path: `.../<service>_<fault>/<run>/...` (e.g.
 * `online-boutique/cartservice_cpu/1/data.csv`); the fault is the part after the last underscore.
 */
export function parseRcaEvalLabel(path: string): RcaEvalLabel | undefined {
  const parts = path.split(/[\\/]/).filter((p) => p !== '' && !/\.(csv|txt|json)$/.test(p));
  for (let i = parts.length - 1; i >= 0; i--) {
    const cut = parts[i].lastIndexOf('_');
    if (cut <= 0 || cut === parts[i].length - 1) continue;
    const run = i + 1 < parts.length && /^\d+$/.test(parts[i + 1]) ? parts[i + 1] : undefined;
    return { rootService: parts[i].slice(0, cut), faultType: parts[i].slice(cut + 1), run };
  }
  return undefined;
}

function topologyOf(series: MetricSeries[]): RcaTopology {
  return { services: [...new Set(series.map((s) => s.service))].sort(), edges: [] };
}

function splitCsvLine(line: string): string[] {
  return line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

function parseNumber(cell: string | undefined): number | undefined {
  if (cell === undefined || cell === '') return undefined;
  const value = Number(cell);
  return Number.isFinite(value) ? value : undefined;
}

/** Epoch ms from epoch seconds, epoch ms or an ISO date. */
function parseTime(cell: string | undefined): number | undefined {
  const value = parseNumber(cell);
  if (value !== undefined) return value > 1e11 ? value : value * 1000;
  if (cell === undefined || cell === '') return undefined;
  const date = Date.parse(cell);
  return Number.isFinite(date) ? date : undefined;
}
