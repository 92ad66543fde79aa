import type { MetricSeries } from '../rca-case';
import {
  epochMs,
  findColumn,
  metricCell,
  numberCell,
  parseCsvTable,
  RecordFormatError,
} from './csv-table';
import { readCsvRows, type ReadOptions, type ReadResult } from './record-reader';
import { workloadOfPod } from './telemetry-records';

/**
 * A metric column as a series name: `CpuUsageRate(%)` -> `cpu_usage_rate`,
 * `PodClientLatencyP90(s)` -> `pod_client_latency_p90`.
 */
export function metricColumnName(column: string): string {
  return column
    .replace(/\(.*?\)/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();
}

const TIME = ['timestamp', 'time_unix', 'epoch'];
const ENTITY = ['podname', 'pod', 'service', 'servicename', 'instance'];

/**
 * Metrics in the "one row per entity and time" layout (a monitoring export per pod or service):
 * a time column (epoch seconds or ms), an entity column (a pod is read as its workload), and one
 * numeric column per metric. Several pods of one workload at one time are averaged. An empty
 * cell, or `NaN`, `null`, `inf` (how exporters write a value they have not got: Nezha's exports
 * hold thousands of `NaN` latencies), is a missing point; a column with no number in any row (a
 * node or namespace name) is no metric. Any other cell that is not a number, or a row of other
 * width than the header, is malformed: `file:line`, or skipped and counted under `lenient`.
 */
export function parseEntityMetricsCsv(
  text: string,
  options: ReadOptions,
): ReadResult<MetricSeries> {
  const table = parseCsvTable(text, options.file);
  const timeCol = findColumn(table.header, TIME);
  const entityCol = findColumn(table.header, ENTITY);
  if (timeCol < 0) throw new RecordFormatError(options.file, 1, 'no time column (TimeStamp)');
  if (entityCol < 0) throw new RecordFormatError(options.file, 1, 'no entity column (PodName)');
  const pods = /pod/i.test(table.header[entityCol]);
  const metrics = table.header
    .map((name, index) => ({ index, column: name, name: metricColumnName(name) }))
    .filter(
      (m) => m.index !== timeCol && m.index !== entityCol && m.name !== '' && m.name !== 'time',
    )
    .filter((m) => table.rows.some((row) => typeof metricCell(row.cells[m.index]) === 'number'));
  const read = readCsvRows(table, options, (row) => {
    const raw = numberCell(row.cells[timeCol]);
    const entity = (row.cells[entityCol] ?? '').trim();
    if (!Number.isFinite(raw) || !entity) return 'no time or entity in this row';
    const values: Array<number | undefined> = [];
    for (const m of metrics) {
      const value = metricCell(row.cells[m.index]);
      if (value === 'malformed') return `${m.column}: "${row.cells[m.index]}" is not a number`;
      values.push(value);
    }
    return { time: epochMs(raw), service: pods ? workloadOfPod(entity) : entity, values };
  });
  return { records: averagedSeries(read.records, metrics), skipped: read.skipped };
}

/** One series per entity and metric, the rows of one entity at one time averaged, times sorted. */
function averagedSeries(
  rows: ReadonlyArray<{ time: number; service: string; values: Array<number | undefined> }>,
  metrics: ReadonlyArray<{ name: string }>,
): MetricSeries[] {
  const sums = new Map<string, Map<number, [number, number]>>();
  for (const { time, service, values } of rows) {
    values.forEach((value, i) => {
      if (value === undefined) return;
      const key = `${service}\u0000${metrics[i].name}`;
      const points = sums.get(key) ?? new Map<number, [number, number]>();
      sums.set(key, points);
      const sum = points.get(time) ?? [0, 0];
      points.set(time, [sum[0] + value, sum[1] + 1]);
    });
  }
  return [...sums].map(([key, points]) => {
    const [service, metric] = key.split('\u0000');
    const times = [...points.keys()].sort((a, b) => a - b);
    return {
      service,
      metric,
      times,
      values: times.map((t) => {
        const [sum, count] = points.get(t) ?? [0, 1];
        return sum / count;
      }),
    };
  });
}
