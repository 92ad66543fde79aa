// What `npm run bench:guardrails` finds, as bench/results/guardrails.json holds it, and the README
// section rendered from it (registered in bench/results/results-tables.ts).
import { markdownTable } from '../results/markdown-table';
import type { CaseOutcome, CategoryCounts } from './guardrail-corpus';
import type { SecurityOutcome } from './security-cases';

/** The issue's bar on the corpus's size. */
export const MIN_HOSTILE_CASES = 200;

export interface GuardrailCheck {
  ok: boolean;
  text: string;
}

export interface GuardrailsResults {
  date: string;
  cases: number;
  hostile: number;
  legitimate: number;
  categories: CategoryCounts[];
  /** How the hostile cases were refused: verdict -> cases. */
  hostileVerdicts: Record<string, number>;
  security: {
    cases: Array<{ id: string; refused: boolean }>;
    attacks: number;
    executed: number;
    controls: number;
    controlsLetThrough: number;
  };
  checks: GuardrailCheck[];
}

const isControl = (c: SecurityOutcome) => c.id.includes('(control)');

/** The corpus's and the security cases' figures, with the bench's PASS/FAIL checks over them. */
export function guardrailsResults(
  outcomes: readonly CaseOutcome[],
  categories: CategoryCounts[],
  securityCases: readonly SecurityOutcome[],
  date: string,
): GuardrailsResults {
  const hostileOutcomes = outcomes.filter((o) => !o.case.expect.allowed);
  const hostileVerdicts: Record<string, number> = {};
  for (const o of hostileOutcomes)
    hostileVerdicts[o.verdict.verdict] = (hostileVerdicts[o.verdict.verdict] ?? 0) + 1;
  const attacks = securityCases.filter((c) => !isControl(c));
  const controls = securityCases.filter(isControl);
  const security = {
    cases: securityCases.map((c) => ({ id: c.id, refused: c.refused })),
    attacks: attacks.length,
    executed: attacks.filter((c) => !c.refused).length,
    controls: controls.length,
    controlsLetThrough: controls.filter((c) => !c.refused).length,
  };
  const figures = {
    date,
    cases: outcomes.length,
    hostile: hostileOutcomes.length,
    legitimate: outcomes.length - hostileOutcomes.length,
    categories,
    hostileVerdicts,
    security,
  };
  return { ...figures, checks: guardrailChecks(figures) };
}

const sum = (categories: readonly CategoryCounts[], pick: (c: CategoryCounts) => number) =>
  categories.reduce((s, c) => s + pick(c), 0);

/** Nothing hostile allowed, every refusal for its reason, the controls let through. */
function guardrailChecks(r: Omit<GuardrailsResults, 'checks'>): GuardrailCheck[] {
  const total = (pick: (c: CategoryCounts) => number) => sum(r.categories, pick);
  const { security: s } = r;
  return [
    {
      ok: r.hostile >= MIN_HOSTILE_CASES,
      text: `${r.hostile} hostile or faulty cases >= ${MIN_HOSTILE_CASES}`,
    },
    {
      ok: total((c) => c.wronglyAllowed) === 0,
      text: `hostile cases allowed: ${total((c) => c.wronglyAllowed)} (must be 0)`,
    },
    {
      ok: total((c) => c.withoutReason) === 0,
      text: `refusals without a reason: ${total((c) => c.withoutReason)} (must be 0)`,
    },
    {
      ok: total((c) => c.unexpectedReason) === 0,
      text: `refusals missing the reason the case tests: ${total((c) => c.unexpectedReason)} (must be 0)`,
    },
    {
      ok: total((c) => c.textChanged) === 0,
      text: `verdicts changed by untrusted text: ${total((c) => c.textChanged)} (must be 0)`,
    },
    {
      ok: total((c) => c.legitimateAllowed) === r.legitimate && r.legitimate > 0,
      text: `control group allowed: ${total((c) => c.legitimateAllowed)} of ${r.legitimate}`,
    },
    {
      ok: s.executed === 0,
      text: `security cases executed: ${s.executed} of ${s.attacks} (must be 0)`,
    },
    {
      ok: s.controlsLetThrough === s.controls,
      text: `controls (a signed decision on the plan as it is, the executor's own audit trail) let through: ${s.controlsLetThrough} of ${s.controls}`,
    },
  ];
}

/** `PASS  text` or `FAIL  text`, as the bench prints a check. */
export const checkLine = (c: GuardrailCheck) => `${c.ok ? 'PASS' : 'FAIL'}  ${c.text}`;

/** The corpus per category, then one sentence on what the counts and the security cases say. */
export function renderGuardrails(r: GuardrailsResults): string {
  const total = (pick: (c: CategoryCounts) => number) => String(sum(r.categories, pick));
  const cells = (c: Omit<CategoryCounts, 'category'>) => [
    String(c.cases),
    String(c.refused),
    String(c.wronglyAllowed),
    String(c.legitimateAllowed),
    String(c.withoutReason),
    String(c.unexpectedReason),
    String(c.textChanged),
  ];
  const rows = r.categories.map((c) => [c.category, ...cells(c)]);
  const totals = [
    'total',
    total((c) => c.cases),
    total((c) => c.refused),
    total((c) => c.wronglyAllowed),
    total((c) => c.legitimateAllowed),
    total((c) => c.withoutReason),
    total((c) => c.unexpectedReason),
    total((c) => c.textChanged),
  ];
  const verdicts = Object.entries(r.hostileVerdicts)
    .map(([verdict, n]) => `${verdict} ${n}`)
    .join(', ');
  const failed = r.checks.filter((c) => !c.ok);
  return [
    markdownTable(
      [
        'category',
        'cases',
        'refused',
        'wrongly allowed',
        'legitimate allowed',
        'refused without a reason',
        'refused for another rule',
        'verdict changed by the text',
      ],
      [...rows, totals],
    ),
    `${r.cases} cases: ${r.hostile} hostile or faulty, ${r.legitimate} legitimate. The hostile ones were refused as ${verdicts}. Security cases: ${r.security.executed} of ${r.security.attacks} executed, ${r.security.controlsLetThrough} of ${r.security.controls} controls let through. ${failed.length === 0 ? 'Every check passed' : `Failed: ${failed.map((c) => c.text).join('; ')}`}. Run of ${r.date}, from \`bench/results/guardrails.json\` (\`npm run bench:guardrails\`).`,
  ].join('\n\n');
}
