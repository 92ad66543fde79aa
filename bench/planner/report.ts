import type { PlannerCase } from './case-generator';
import { RULES, type Rule, type Score } from './scoring';

/** One answer to one case (a case run `--repeat` times has as many). */
export interface CaseResult {
  id: string;
  kind: string;
  held: string;
  injection?: string;
  score: Score;
  latencyMs?: number;
  promptTokens?: number;
  completionTokens?: number;
  /** The model did not answer (timeout, refused request): scored as no answer. */
  error?: string;
  /** Planner mode: the known-good runbook went out instead of the model's draft. */
  fallbackUsed?: boolean;
  /** The start of a failed answer, to see what the model wrote. */
  raw?: string;
}

export interface Share {
  cases: number;
  pass: number;
}

/** One row of bench/results/planner.json: a model (or a reference plan) over the cases. */
export interface PlannerRow {
  name: string;
  kind: 'model' | 'reference';
  model?: string;
  endpoint?: string;
  /** open: the model's own choice over the neighbourhood; planner: the planner's path as it runs. */
  mode: 'open' | 'planner' | 'reference';
  date: string;
  answers: number;
  repeat: number;
  runSeconds: number;
  pass: number;
  rules: Record<Rule, number>;
  restartProof: Share;
  byHeld: Record<string, Share>;
  byKind: Record<string, Share>;
  injection: Share & { followed: number };
  escalated: number;
  errors: number;
  fallbackUsed?: number;
  latencyMs?: { p50: number; p95: number; max: number };
  /** Share of answers back within the planner's default drafting budget (15 s). */
  withinBudget?: number;
  /** Planner mode: the drafting budget the run gave draftRunbook (when not the default). */
  draftBudgetMs?: number;
  tokens?: { promptMean: number; completionMean: number };
  /** The first failures with their reasons, to see what went wrong without a rerun. */
  failures: Array<{ id: string; why: string[]; raw?: string }>;
}

export function resultOf(
  c: PlannerCase,
  score: Score,
  extra: Partial<CaseResult> = {},
): CaseResult {
  return {
    id: c.id,
    kind: c.kind,
    held: c.held,
    ...(c.injection && { injection: c.injection.place }),
    score,
    ...extra,
  };
}

const ratio = (n: number, of: number) => (of === 0 ? 0 : Number((n / of).toFixed(3)));

/** The value below which `q` of the sorted values lie (nearest rank). */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function shareBy(results: readonly CaseResult[], key: (r: CaseResult) => string | undefined) {
  const out: Record<string, Share> = {};
  for (const r of results) {
    const k = key(r);
    if (k === undefined) continue;
    out[k] ??= { cases: 0, pass: 0 };
    out[k].cases++;
    if (r.score.pass) out[k].pass++;
  }
  for (const s of Object.values(out)) s.pass = ratio(s.pass, s.cases);
  return out;
}

/** Pass rates overall, per rule, per place a fault is held and per kind; latency and tokens. */
export function summarize(
  head: Pick<PlannerRow, 'name' | 'kind' | 'mode' | 'model' | 'endpoint' | 'date' | 'repeat'>,
  results: readonly CaseResult[],
  runSeconds: number,
  budgetMs?: number,
): PlannerRow {
  const n = results.length;
  const count = (f: (r: CaseResult) => boolean) => results.filter(f).length;
  const attacks = results.filter((r) => r.injection);
  const timed = results.flatMap((r) => (r.latencyMs === undefined ? [] : [r.latencyMs]));
  const tokened = results.filter((r) => r.promptTokens !== undefined);
  const restartProof = results.filter((r) => r.held !== 'process' && !r.injection);
  return {
    ...head,
    answers: n,
    runSeconds: Math.round(runSeconds),
    pass: ratio(
      count((r) => r.score.pass),
      n,
    ),
    rules: Object.fromEntries(
      RULES.map((rule) => [
        rule,
        ratio(
          count((r) => r.score.rules[rule]),
          n,
        ),
      ]),
    ) as Record<Rule, number>,
    restartProof: {
      cases: restartProof.length,
      pass: ratio(restartProof.filter((r) => r.score.pass).length, restartProof.length),
    },
    byHeld: shareBy(results, (r) => (r.injection ? undefined : r.held)),
    byKind: shareBy(results, (r) => (r.injection ? 'injection' : r.kind)),
    injection: {
      cases: attacks.length,
      pass: ratio(attacks.filter((r) => r.score.pass).length, attacks.length),
      followed: ratio(attacks.filter((r) => r.score.injectionFollowed).length, attacks.length),
    },
    escalated: ratio(
      count((r) => r.score.escalated),
      n,
    ),
    errors: count((r) => r.error !== undefined),
    ...(results.some((r) => r.fallbackUsed !== undefined) && {
      fallbackUsed: ratio(
        count((r) => r.fallbackUsed === true),
        n,
      ),
    }),
    ...(timed.length > 0 && {
      latencyMs: {
        p50: Math.round(percentile(timed, 0.5)),
        p95: Math.round(percentile(timed, 0.95)),
        max: Math.round(Math.max(...timed)),
      },
    }),
    ...(timed.length > 0 &&
      budgetMs !== undefined && {
        withinBudget: ratio(timed.filter((t) => t <= budgetMs).length, n),
      }),
    ...(tokened.length > 0 && {
      tokens: {
        promptMean: Math.round(
          tokened.reduce((s, r) => s + (r.promptTokens ?? 0), 0) / tokened.length,
        ),
        completionMean: Math.round(
          tokened.reduce((s, r) => s + (r.completionTokens ?? 0), 0) / tokened.length,
        ),
      },
    }),
    failures: results
      .filter((r) => !r.score.pass)
      .slice(0, 12)
      .map((r) => ({
        id: r.id,
        why: r.error ? [r.error] : r.score.why,
        ...(r.raw !== undefined && { raw: r.raw }),
      })),
  };
}

/** The results file: rows replace earlier rows of the same name, others are kept, references first. */
export interface PlannerResults {
  date: string;
  seed: string;
  cases: number;
  catalog: string[];
  policy: string;
  budgetMs: number;
  rows: PlannerRow[];
}

export function mergeRows(
  before: PlannerResults | undefined,
  now: Omit<PlannerResults, 'rows'>,
  rows: readonly PlannerRow[],
): PlannerResults {
  const names = new Set(rows.map((r) => r.name));
  const all = [...(before?.rows ?? []).filter((r) => !names.has(r.name)), ...rows];
  // the reference rows first, so the table reads the same whichever model ran last
  return {
    ...now,
    rows: [
      ...all.filter((r) => r.kind === 'reference'),
      ...all.filter((r) => r.kind !== 'reference'),
    ],
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The row as a few lines for the terminal. */
export function rowLines(row: PlannerRow): string[] {
  const lines = [
    `${row.name}: pass ${pct(row.pass)} of ${row.answers} answers (restart-proof ${pct(row.restartProof.pass)}, injection ${pct(row.injection.pass)}, injected step followed ${pct(row.injection.followed)}, escalated ${pct(row.escalated)})`,
    `  rules: ${RULES.map((r) => `${r} ${pct(row.rules[r])}`).join(', ')}`,
    `  by where the fault is held: ${Object.entries(row.byHeld)
      .map(([k, s]) => `${k} ${pct(s.pass)} (${s.cases})`)
      .join(', ')}`,
    `  by kind: ${Object.entries(row.byKind)
      .map(([k, s]) => `${k} ${pct(s.pass)}`)
      .join(', ')}`,
  ];
  if (row.latencyMs)
    lines.push(
      `  latency p50 ${(row.latencyMs.p50 / 1000).toFixed(1)} s, p95 ${(row.latencyMs.p95 / 1000).toFixed(1)} s${row.withinBudget !== undefined ? `, within budget ${pct(row.withinBudget)}` : ''}; tokens per answer: prompt ${row.tokens?.promptMean ?? '-'}, completion ${row.tokens?.completionMean ?? '-'}; errors ${row.errors}${row.fallbackUsed !== undefined ? `; fallback ${pct(row.fallbackUsed)}` : ''}; ${row.runSeconds} s`,
    );
  return lines;
}
