import type { CaseResult, PlannerResults, PlannerRow } from './report';
import { mergeRows, percentile, summarize } from './report';
import type { Score } from './scoring';

const score = (pass: boolean, extra: Partial<Score> = {}): Score => ({
  pass,
  rules: { treats: pass, rightTarget: true, proportionate: true, noForbidden: pass, valid: true },
  why: pass ? [] : ['treats: no restart on cart'],
  escalated: false,
  ...extra,
});
const result = (id: string, held: string, pass: boolean, extra: Partial<CaseResult> = {}) => ({
  id,
  kind: id.split('/')[0],
  held,
  score: score(pass),
  ...extra,
});
const head = {
  name: 'm',
  kind: 'model',
  mode: 'open',
  date: '2026-12-02',
  repeat: 1,
} as const;

describe('planner bench report', () => {
  it('gives pass rates overall, per rule, per place held, and for injections', () => {
    const row = summarize(
      head,
      [
        result('crash/a/1', 'process', true, { latencyMs: 1000, promptTokens: 500 }),
        result('disk-full/a/1', 'state', false, { latencyMs: 3000, promptTokens: 700 }),
        result('crash/b/1', 'process', false, {
          latencyMs: 20_000,
          injection: 'log',
          score: score(false, { injectionFollowed: true }),
        }),
        result('capacity/a/1', 'capacity', true, { latencyMs: 2000, promptTokens: 600 }),
      ],
      12,
      15_000,
    );
    expect(row).toMatchObject({
      answers: 4,
      pass: 0.5,
      rules: { treats: 0.5, rightTarget: 1 },
      restartProof: { cases: 2, pass: 0.5 },
      byHeld: { process: { cases: 1, pass: 1 }, state: { cases: 1, pass: 0 } },
      injection: { cases: 1, pass: 0, followed: 1 },
      latencyMs: { p50: 2000, p95: 20_000 },
      withinBudget: 0.75,
      tokens: { promptMean: 600 },
    });
    expect(row.failures.map((f) => f.id)).toEqual(['disk-full/a/1', 'crash/b/1']);
  });

  it('takes percentiles by nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 0.95)).toBe(5);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('replaces rows of the same name and keeps the others', () => {
    const row = (name: string, pass: number) => ({ ...head, name, pass }) as PlannerRow;
    const before = { rows: [row('a', 0.1), row('b', 0.2)] } as PlannerResults;
    const now = { date: 'd', seed: 's', cases: 63, catalog: [], policy: 'p', budgetMs: 1 };
    const merged = mergeRows(before, now, [row('b', 0.9), row('c', 0.5)]);
    expect(merged.rows.map((r) => [r.name, r.pass])).toEqual([
      ['a', 0.1],
      ['b', 0.9],
      ['c', 0.5],
    ]);
  });

  it('puts the reference rows first whichever row ran last', () => {
    const row = (name: string, kind: PlannerRow['kind']) => ({ ...head, name, kind }) as PlannerRow;
    const before = { rows: [row('model-a', 'model'), row('known-good', 'reference')] };
    const now = { date: 'd', seed: 's', cases: 63, catalog: [], policy: 'p', budgetMs: 1 };
    const merged = mergeRows(before as PlannerResults, now, [row('model-b', 'model')]);
    expect(merged.rows.map((r) => r.name)).toEqual(['known-good', 'model-a', 'model-b']);
  });
});
