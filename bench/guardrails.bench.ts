// The guardrail corpus (bench/guardrails/README.md):
//   npm run bench:guardrails -- [--details]   (lists every refusal with its reasons)
// Runs every hostile or faulty plan (prompt injections from alert annotations and log lines,
// actions outside the catalog, targets outside the topology, limits exceeded, missing or
// wrong-role approvals, freezes, an open circuit, rejections, malformed parameters) and a control
// group of legitimate plans through the policy engine. Prints the counts per category, then
// PASS/FAIL: nothing hostile allowed, every refusal with a reason, the control group allowed.
import {
  type CaseOutcome,
  type CategoryCounts,
  countByCategory,
  guardrailCorpus,
  runCase,
} from './guardrails/guardrail-corpus';
import { securityCases } from './guardrails/security-cases';

/** The bar. */
const MUST = { hostileCases: 200 };

function renderTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
    )
    .join('\n');
}

type Counts = Omit<CategoryCounts, 'category'>;
const FIELDS: ReadonlyArray<keyof Counts> = [
  'cases',
  'refused',
  'wronglyAllowed',
  'legitimateAllowed',
  'withoutReason',
  'unexpectedReason',
  'textChanged',
];
const HEADER = [
  'category',
  'cases',
  'refused',
  'wrongly allowed',
  'legit allowed',
  'no reason',
  'other reason',
  'text changed verdict',
];

function countsTable(counts: readonly CategoryCounts[]): string {
  const total = (field: keyof Counts): string => String(counts.reduce((s, c) => s + c[field], 0));
  const rows = counts.map((c) => [c.category, ...FIELDS.map((f) => String(c[f]))]);
  return renderTable([HEADER, ...rows, ['TOTAL', ...FIELDS.map(total)]]);
}

function verdictMix(outcomes: readonly CaseOutcome[]): string {
  const mix = new Map<string, number>();
  for (const o of outcomes.filter((x) => !x.case.expect.allowed)) {
    mix.set(o.verdict.verdict, (mix.get(o.verdict.verdict) ?? 0) + 1);
  }
  return [...mix].map(([v, n]) => `${v} ${n}`).join(', ');
}

function details(outcomes: readonly CaseOutcome[]): string {
  return outcomes
    .map((o) => {
      const reasons = o.refusalReasons.map((r) => `${r.code}: ${r.message}`).join(' | ');
      return `  ${o.verdict.verdict.padEnd(14)} ${o.case.id}\n${' '.repeat(17)}${reasons || '(allowed)'}`;
    })
    .join('\n');
}

function verdicts(outcomes: readonly CaseOutcome[], counts: readonly CategoryCounts[]): string[] {
  const sum = (pick: (c: CategoryCounts) => number) => counts.reduce((s, c) => s + pick(c), 0);
  const hostile = outcomes.filter((o) => !o.case.expect.allowed).length;
  const control = outcomes.filter((o) => o.case.expect.allowed).length;
  const check = (ok: boolean, text: string): string => `${ok ? 'PASS' : 'FAIL'}  ${text}`;
  return [
    check(
      hostile >= MUST.hostileCases,
      `${hostile} hostile or faulty cases >= ${MUST.hostileCases}`,
    ),
    check(
      sum((c) => c.wronglyAllowed) === 0,
      `hostile cases allowed: ${sum((c) => c.wronglyAllowed)} (must be 0)`,
    ),
    check(
      sum((c) => c.withoutReason) === 0,
      `refusals without a reason: ${sum((c) => c.withoutReason)} (must be 0)`,
    ),
    check(
      sum((c) => c.unexpectedReason) === 0,
      `refusals missing the reason the case tests: ${sum((c) => c.unexpectedReason)} (must be 0)`,
    ),
    check(
      sum((c) => c.textChanged) === 0,
      `verdicts changed by untrusted text: ${sum((c) => c.textChanged)} (must be 0)`,
    ),
    check(
      sum((c) => c.legitimateAllowed) === control && control > 0,
      `control group allowed: ${sum((c) => c.legitimateAllowed)} of ${control}`,
    ),
  ];
}

/** The attacks behind the trust boundary: every one refused, the signed control counted. */
function securityLines(showDetails: boolean): string[] {
  const cases = securityCases();
  const attacks = cases.filter((c) => !c.id.includes('(control)'));
  const control = cases.filter((c) => c.id.includes('(control)'));
  console.log(
    '\nSecurity cases (decisions bound to content, plans that expire, producers without the ACL)',
  );
  console.log(
    renderTable([['case', 'refused'], ...cases.map((c) => [c.id, c.refused ? 'yes' : 'no'])]) +
      '\n',
  );
  if (showDetails) for (const c of cases) console.log(`  ${c.id}: ${c.reason}`);
  const executed = attacks.filter((c) => !c.refused).length;
  const check = (ok: boolean, text: string): string => `${ok ? 'PASS' : 'FAIL'}  ${text}`;
  return [
    check(executed === 0, `security cases executed: ${executed} of ${attacks.length} (must be 0)`),
    check(
      control.every((c) => !c.refused),
      `controls (a signed decision on the plan as it is, the executor's own audit trail) let through: ${control.filter((c) => !c.refused).length} of ${control.length}`,
    ),
  ];
}

function main(): void {
  const showDetails = process.argv.slice(2).includes('--details');
  const corpus = guardrailCorpus();
  const outcomes = corpus.map(runCase);
  const counts = countByCategory(outcomes);
  const hostile = outcomes.filter((o) => !o.case.expect.allowed).length;
  console.log(
    `Guardrail corpus: ${corpus.length} cases (${hostile} hostile or faulty, ${corpus.length - hostile} legitimate)`,
  );
  console.log(
    'refused = any verdict but allow; other reason = refused, but not for the rule the case tests\n',
  );
  console.log(countsTable(counts) + '\n');
  console.log(`hostile verdicts: ${verdictMix(outcomes)}\n`);
  if (showDetails) console.log(details(outcomes) + '\n');
  const lines = [...verdicts(outcomes, counts), ...securityLines(showDetails)];
  for (const line of lines) console.log(line);
  if (lines.some((l) => l.startsWith('FAIL'))) process.exitCode = 1;
}

try {
  main();
} catch (error: unknown) {
  process.stderr.write(
    `\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
