// The guardrail corpus (bench/guardrails/README.md):
//   npm run bench:guardrails -- [--details]   (lists every refusal with its reasons)
// Runs every hostile or faulty plan (prompt injections from alert annotations and log lines,
// actions outside the catalog, targets outside the topology, limits exceeded, missing or
// wrong-role approvals, freezes, an open circuit, rejections, malformed parameters) and a control
// group of legitimate plans through the policy engine. Prints the counts per category, then
// PASS/FAIL: nothing hostile allowed, every refusal with a reason, the control group allowed;
// writes the figures to bench/results/guardrails.json, which the README's tables come from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CaseOutcome,
  type CategoryCounts,
  countByCategory,
  guardrailCorpus,
  runCase,
} from './guardrails/guardrail-corpus';
import { checkLine, guardrailsResults } from './guardrails/guardrails-results';
import { securityCases, type SecurityOutcome } from './guardrails/security-cases';

const resultsDir = join(__dirname, 'results');

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

function details(outcomes: readonly CaseOutcome[]): string {
  return outcomes
    .map((o) => {
      const reasons = o.refusalReasons.map((r) => `${r.code}: ${r.message}`).join(' | ');
      return `  ${o.verdict.verdict.padEnd(14)} ${o.case.id}\n${' '.repeat(17)}${reasons || '(allowed)'}`;
    })
    .join('\n');
}

/** The security cases' table (and with --details each one's reason). */
function printSecurityCases(cases: readonly SecurityOutcome[], showDetails: boolean): void {
  console.log(
    '\nSecurity cases (decisions bound to content, plans that expire, producers without the ACL)',
  );
  console.log(
    renderTable([['case', 'refused'], ...cases.map((c) => [c.id, c.refused ? 'yes' : 'no'])]) +
      '\n',
  );
  if (showDetails) for (const c of cases) console.log(`  ${c.id}: ${c.reason}`);
}

function main(): void {
  const showDetails = process.argv.slice(2).includes('--details');
  const corpus = guardrailCorpus();
  const outcomes = corpus.map(runCase);
  const counts = countByCategory(outcomes);
  const security = securityCases();
  const results = guardrailsResults(
    outcomes,
    counts,
    security,
    new Date().toISOString().slice(0, 10),
  );
  console.log(
    `Guardrail corpus: ${results.cases} cases (${results.hostile} hostile or faulty, ${results.legitimate} legitimate)`,
  );
  console.log(
    'refused = any verdict but allow; other reason = refused, but not for the rule the case tests\n',
  );
  console.log(countsTable(counts) + '\n');
  const mix = Object.entries(results.hostileVerdicts).map(([v, n]) => `${v} ${n}`);
  console.log(`hostile verdicts: ${mix.join(', ')}\n`);
  if (showDetails) console.log(details(outcomes) + '\n');
  printSecurityCases(security, showDetails);
  for (const check of results.checks) console.log(checkLine(check));
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'guardrails.json'), JSON.stringify(results, null, 1) + '\n');
  console.log(`\nwritten to ${join('bench', 'results', 'guardrails.json')}`);
  if (results.checks.some((c) => !c.ok)) process.exitCode = 1;
}

try {
  main();
} catch (error: unknown) {
  process.stderr.write(
    `\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
