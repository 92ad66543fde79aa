import type { GroupingMetrics } from '@vigil/correlation';
import {
  type HeldFigures,
  type StormMethod,
  type StormScenarioResult,
  STORM_METHODS,
  scoreStorm,
} from './storm-run';
import { type Column, metricColumns, textTable } from '../text-table';

/** The targets for the storm family. */
export const STORM_TARGETS = { f1: 0.9, purity: 0.9, compression: 10, overRealAlertmanager: 0.3 };

export interface StormFigures {
  metrics: Partial<Record<StormMethod, GroupingMetrics>>;
  held: Partial<Record<StormMethod, HeldFigures>>;
}

/** All storm scenarios at once; group labels get the scenario as prefix to stay apart. */
export function stormOverall(results: readonly StormScenarioResult[]): StormFigures {
  const truth = results.flatMap((r) => r.truth.map((t) => `${r.id}|${t}`));
  const heldTruth = results.flatMap((r) => r.heldTruth);
  const figures: StormFigures = { metrics: {}, held: {} };
  for (const m of STORM_METHODS) {
    if (!results.every((r) => r.groups[m])) continue;
    const groups = results.flatMap((r) =>
      (r.groups[m] ?? []).map((g) => (g === 'held' ? g : `${r.id}|${g}`)),
    );
    const scored = scoreStorm(truth, heldTruth, groups);
    figures.metrics[m] = scored.metrics;
    figures.held[m] = scored.held;
  }
  return figures;
}

/** A method's row: its grouping figures and what it did with held alerts. */
interface StormRow {
  metrics: GroupingMetrics;
  held: HeldFigures;
}

const COLUMNS: Array<Column<StormRow>> = [
  ...metricColumns<StormRow>(
    ['alerts', 'incidents', 'compr', 'P', 'R', 'F1', 'mPur', 'mRec'],
    (row) => row.metrics,
  ),
  ['held in incidents', ({ held: h }) => `${h.leaked}/${h.truthHeld} (${h.incidentsTouched} inc.)`],
  ['held wrongly', ({ held: h }) => String(h.wronglyHeld)],
];

export function stormTable(title: string, figures: StormFigures): string {
  return textTable(
    title,
    COLUMNS,
    STORM_METHODS.map((m) => {
      const metrics = figures.metrics[m];
      const held = figures.held[m];
      return [m, metrics && held ? { metrics, held } : undefined];
    }),
  );
}

export function stormVerdicts(all: StormFigures): string[] {
  const v = all.metrics.vigil;
  if (!v) return [];
  const t = STORM_TARGETS;
  const check = (ok: boolean, text: string): string =>
    `${ok ? 'PASS' : 'FAIL'}  storm family: ${text}`;
  const lines = [
    check(v.f1 >= t.f1, `pairwise F1 ${v.f1.toFixed(3)} >= ${t.f1}`),
    check(v.macroPurity >= t.purity, `macro purity ${v.macroPurity.toFixed(3)} >= ${t.purity}`),
    check(
      v.compression >= t.compression,
      `compression ${v.compression.toFixed(1)}x >= ${t.compression}x`,
    ),
  ];
  const real = all.metrics['alertmanager-real'];
  if (real)
    lines.push(
      check(
        v.f1 - real.f1 >= t.overRealAlertmanager,
        `F1 ${(v.f1 - real.f1).toFixed(3)} above the real Alertmanager's (${real.f1.toFixed(3)}); target >= ${t.overRealAlertmanager}`,
      ),
    );
  const held = all.held.vigil;
  if (held)
    lines.push(
      check(
        held.leaked === 0,
        `${held.leaked} of ${held.truthHeld} silenced or maintained alerts in an incident (target 0)`,
      ),
    );
  return lines;
}
