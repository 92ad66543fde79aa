import type { GroupingMetrics } from '@vigil/correlation';

/** A column of the benchmark's plain-text tables: its title and a row's cell. */
export type Column<R> = [string, (row: R) => string];

/** The grouping figures the tables show, by column title. */
const METRIC_CELLS = {
  alerts: (m) => String(m.items),
  incidents: (m) => `${m.predictedIncidents}/${m.trueIncidents}`,
  compr: (m) => `${m.compression.toFixed(1)}x`,
  P: (m) => m.precision.toFixed(3),
  R: (m) => m.recall.toFixed(3),
  F1: (m) => m.f1.toFixed(3),
  ARI: (m) => m.ari.toFixed(3),
  'V(NMI)': (m) => m.vMeasure.toFixed(3),
  hom: (m) => m.homogeneity.toFixed(3),
  compl: (m) => m.completeness.toFixed(3),
  mPur: (m) => m.macroPurity.toFixed(3),
  mRec: (m) => m.macroRecall.toFixed(3),
} satisfies Record<string, (m: GroupingMetrics) => string>;

/** The columns of these figures, in this order; `of` finds a row's figures. */
export function metricColumns<R>(
  titles: ReadonlyArray<keyof typeof METRIC_CELLS>,
  of: (row: R) => GroupingMetrics,
): Array<Column<R>> {
  return titles.map((title) => [title, (row) => METRIC_CELLS[title](of(row))]);
}

/**
 * `title`, then a row per method that has one (in the order given): the method left-aligned,
 * every other column right-aligned, two spaces apart.
 */
export function textTable<R>(
  title: string,
  columns: ReadonlyArray<Column<R>>,
  methods: ReadonlyArray<[string, R | undefined]>,
): string {
  const rows = [['method', ...columns.map(([name]) => name)]];
  for (const [method, row] of methods)
    if (row) rows.push([method, ...columns.map(([, cell]) => cell(row))]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [title, ...rows.map(line)].join('\n');
}
