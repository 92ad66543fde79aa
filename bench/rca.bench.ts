// Root-cause ranking quality on the generated fault cases (bench/rca/README.md):
//   npm run bench:rca -- [--seed SEED] [--cases-per-type N] [--system a,b] [--fault a,b]
//                        [--json FILE] [--details]   (lists the cases Vigil ranks the root below 1)
// Runs Vigil's ranker and four baselines (random; highest anomaly score alone; PageRank on the
// topology alone; BARO) over every case, once with the detection time at the injection and once
// 60 s late, as RCAEval reports them. Prints AC@1, AC@3, Avg@5 (service level) overall, per system
// and per fault type, the expected figures of a uniformly random ranking, ranking time per case,
// then PASS/FAIL against the issue's targets. Progress goes to stderr, figures to stdout.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  type RankedCaseOutcome,
  type RankingMetrics,
  type RcaCase,
  type RootCauseRanker,
  anomalyScoreRanker,
  baroRanker,
  chanceRankingMetrics,
  evaluateRankings,
  evaluateRankingsByFaultType,
  pageRankRanker,
  randomRanker,
  rankOfRoot,
  rankRootCauses,
  rankedServices,
} from '@vigil/rca';
import {
  type GeneratedCase,
  DEFAULT_CASES_PER_TYPE,
  DEFAULT_RCA_SEED,
  generateRcaCases,
} from './rca/case-generator';
import { FAULT_TYPES, type FaultType } from './rca/faults';

const METHODS: ReadonlyArray<readonly [string, RootCauseRanker]> = [
  ['vigil', (input) => rankRootCauses(input)],
  ['random', randomRanker()],
  ['anomaly-score', anomalyScoreRanker],
  ['pagerank', pageRankRanker()],
  ['baro', baroRanker],
];
const DELAYS_S = [0, 60] as const;

/** The issue's bar, checked on the overall figures with the detection time at the injection. */
const MUST = { ac1: 0.8, ac3: 0.95 };

interface Args {
  seed: string;
  casesPerType: number;
  systems?: string[];
  faults?: FaultType[];
  json?: string;
  details: boolean;
}

interface MethodRun {
  method: string;
  delayS: number;
  outcomes: Array<RankedCaseOutcome & { id: string; system: string }>;
  msPerCase: number[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    seed: DEFAULT_RCA_SEED,
    casesPerType: DEFAULT_CASES_PER_TYPE,
    details: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--details') {
      args.details = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--seed') args.seed = value;
    else if (flag === '--cases-per-type') args.casesPerType = Number(value);
    else if (flag === '--system') args.systems = value.split(',');
    else if (flag === '--fault') args.faults = value.split(',').map(faultType);
    else if (flag === '--json') args.json = value;
    else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

function faultType(name: string): FaultType {
  const found = FAULT_TYPES.find((f) => f === name);
  if (!found) throw new Error(`unknown fault type ${name}; one of ${FAULT_TYPES.join(', ')}`);
  return found;
}

function progress(text: string): void {
  process.stderr.write(process.stderr.isTTY ? `\r${text.padEnd(60)}` : `${text}\n`);
}

function late(input: RcaCase, delayS: number): RcaCase {
  return delayS === 0 ? input : { ...input, anomalyStart: input.anomalyStart + delayS * 1000 };
}

function run(
  cases: readonly GeneratedCase[],
  method: string,
  ranker: RootCauseRanker,
  delayS: number,
): MethodRun {
  const result: MethodRun = { method, delayS, outcomes: [], msPerCase: [] };
  for (const c of cases) {
    const input = late(c.rcaCase, delayS);
    const started = performance.now();
    const ranking = rankedServices(ranker(input));
    result.msPerCase.push(performance.now() - started);
    result.outcomes.push({
      id: c.id,
      system: c.system,
      faultType: c.faultType,
      rootService: c.rootService,
      ranking,
    });
  }
  return result;
}

const fmt = (x: number): string => x.toFixed(2);

function renderTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
    )
    .join('\n');
}

function overallTable(title: string, metrics: Array<[string, RankingMetrics]>): string {
  const rows = [['method', 'cases', 'AC@1', 'AC@3', 'Avg@5', 'mean rank']];
  for (const [name, m] of metrics) {
    rows.push([name, String(m.cases), fmt(m.ac1), fmt(m.ac3), fmt(m.avg5), m.meanRank.toFixed(1)]);
  }
  return `${title}\n${renderTable(rows)}`;
}

/** One row per fault type, one `AC@1/AC@3/Avg@5` cell per method. */
function faultTable(title: string, runs: readonly MethodRun[]): string {
  const byMethod = runs.map((r) => evaluateRankingsByFaultType(r.outcomes));
  const types = [...byMethod[0].keys()];
  const rows = [['fault type', 'cases', ...runs.map((r) => r.method)]];
  for (const type of types) {
    const cells = byMethod.map((m) => {
      const x = m.get(type);
      return x ? `${fmt(x.ac1)}/${fmt(x.ac3)}/${fmt(x.avg5)}` : '-';
    });
    rows.push([type, String(byMethod[0].get(type)?.cases ?? 0), ...cells]);
  }
  return `${title}  (cells: AC@1/AC@3/Avg@5)\n${renderTable(rows)}`;
}

function systemTable(title: string, runs: readonly MethodRun[]): string {
  const systems = [...new Set(runs[0].outcomes.map((o) => o.system))];
  const rows = [['system', 'cases', ...runs.map((r) => r.method)]];
  for (const system of systems) {
    const metrics = runs.map((r) =>
      evaluateRankings(r.outcomes.filter((o) => o.system === system)),
    );
    rows.push([
      system,
      String(metrics[0].cases),
      ...metrics.map((m) => `${fmt(m.ac1)}/${fmt(m.ac3)}/${fmt(m.avg5)}`),
    ]);
  }
  return `${title}  (cells: AC@1/AC@3/Avg@5)\n${renderTable(rows)}`;
}

function timings(runs: readonly MethodRun[]): string {
  const rows = [['method', 'mean ms/case', 'p95 ms/case']];
  for (const method of METHODS.map(([name]) => name)) {
    const ms = runs
      .filter((r) => r.method === method)
      .flatMap((r) => r.msPerCase)
      .sort((a, b) => a - b);
    const mean = ms.reduce((s, v) => s + v, 0) / Math.max(1, ms.length);
    const p95 = ms[Math.min(ms.length - 1, Math.floor(0.95 * ms.length))] ?? 0;
    rows.push([method, mean.toFixed(1), p95.toFixed(1)]);
  }
  return `ranking time per case (both detection times)\n${renderTable(rows)}`;
}

function misses(runs: readonly MethodRun[], cases: readonly GeneratedCase[]): string {
  const vigil = runs.find((r) => r.method === 'vigil' && r.delayS === 0);
  if (!vigil) return '';
  const lines = vigil.outcomes
    .map((o, i) => ({ o, c: cases[i], rank: rankOfRoot(o.ranking, o.rootService) }))
    .filter((x) => x.rank !== 1)
    .map(
      ({ o, c, rank }) =>
        `  ${o.id.padEnd(50)} root at ${rank ?? '-'}; top 3: ${o.ranking.slice(0, 3).join(', ')}` +
        ` | ${c.description}${c.traits.length > 0 ? ` [${c.traits.join(', ')}]` : ''}`,
    );
  return `vigil below rank 1 (detection at injection): ${lines.length} cases\n${lines.join('\n')}\n`;
}

function verdicts(runs: readonly MethodRun[]): string[] {
  const overall = new Map(
    runs.filter((r) => r.delayS === 0).map((r) => [r.method, evaluateRankings(r.outcomes)]),
  );
  const v = overall.get('vigil');
  if (!v) return ["FAIL  Vigil's ranker did not run"];
  const baselines = [...overall].filter(([name]) => name !== 'vigil');
  const check = (ok: boolean, text: string): string => `${ok ? 'PASS' : 'FAIL'}  ${text}`;
  const list = (pick: (m: RankingMetrics) => number) =>
    baselines.map(([n, m]) => `${n} ${fmt(pick(m))}`).join(', ');
  return [
    check(v.ac1 >= MUST.ac1, `AC@1 ${fmt(v.ac1)} >= ${MUST.ac1}`),
    check(v.ac3 >= MUST.ac3, `AC@3 ${fmt(v.ac3)} >= ${MUST.ac3}`),
    check(
      baselines.every(([, m]) => v.ac1 > m.ac1),
      `AC@1 above every baseline (${list((m) => m.ac1)})`,
    ),
    check(
      baselines.every(([, m]) => v.avg5 > m.avg5),
      `Avg@5 above every baseline (${list((m) => m.avg5)})`,
    ),
  ];
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  progress('generating the cases ...');
  const suite = generateRcaCases({
    seed: args.seed,
    casesPerType: args.casesPerType,
    systems: args.systems,
    faultTypes: args.faults,
  });
  const cases = suite.cases;
  if (cases.length === 0) throw new Error('no case matches the filters');
  const runs: MethodRun[] = [];
  for (const delayS of DELAYS_S) {
    for (const [name, ranker] of METHODS) {
      progress(`${name}, detection +${delayS} s ...`);
      runs.push(run(cases, name, ranker, delayS));
    }
  }
  process.stderr.write('\n');
  report(args, suite.seed, cases, runs);
}

function report(
  args: Args,
  seed: string,
  cases: readonly GeneratedCase[],
  runs: readonly MethodRun[],
): void {
  const systems = new Set(cases.map((c) => c.system)).size;
  console.log(`RCA benchmark: ${cases.length} cases on ${systems} systems, seed "${seed}"`);
  console.log(
    'service level; Avg@5 = mean of AC@1..AC@5; mean rank counts an unranked root as last + 1\n',
  );
  const chance = chanceRankingMetrics(cases.map((c) => c.rcaCase.topology.services.length));
  for (const delayS of DELAYS_S) {
    const at = runs.filter((r) => r.delayS === delayS);
    const label = delayS === 0 ? 'detection at injection' : `detection ${delayS} s late`;
    const metrics: Array<[string, RankingMetrics]> = at.map((r) => [
      r.method,
      evaluateRankings(r.outcomes),
    ]);
    console.log(overallTable(`OVERALL, ${label}`, [...metrics, ['(chance)', chance]]) + '\n');
    console.log(systemTable(`per system, ${label}`, at) + '\n');
    console.log(faultTable(`per fault type, ${label}`, at) + '\n');
  }
  console.log(timings(runs) + '\n');
  if (args.details) console.log(misses(runs, cases));
  for (const line of verdicts(runs)) console.log(line);
  if (args.json) writeJson(args.json, seed, runs);
}

function writeJson(file: string, seed: string, runs: readonly MethodRun[]): void {
  const figures = runs.map((r) => ({
    method: r.method,
    delayS: r.delayS,
    overall: evaluateRankings(r.outcomes),
    perFaultType: Object.fromEntries(evaluateRankingsByFaultType(r.outcomes)),
  }));
  writeFileSync(file, JSON.stringify({ seed, figures }, null, 2) + '\n');
}

try {
  main();
} catch (error: unknown) {
  process.stderr.write(
    `\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
