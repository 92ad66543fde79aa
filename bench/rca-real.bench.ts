// Root-cause ranking on real fault data nobody on the team made: the Nezha data set (FSE 2023;
// Online Boutique and Train Ticket on Kubernetes, faults injected by its authors).
//   npm run bench:rca-real -- [--data DIR] [--archive FILE] [--lenient] [--details] [--no-live]
//                             [--out bench/results/rca-real.json]
// --data: a folder holding rca_data/ and construct_data/ (a clone of the original repository
// works); default .vigil/datasets/nezha, unpacked from --archive (a nezha.tar.gz) when missing.
// Every method gets the same case: pod metrics, series derived from traces, log evidence and
// (for the "with call graph" rows) the call graph from parent/child spans. Prints AC@1, AC@3 and
// Avg@5 at service level per system and fault type, with detection at the injection and 60 s
// late, ranking time per case and peak memory; writes the figures to --out. The "live path" row
// ranks what apps/rca's evidence store holds after each case's records streamed into it (the
// window's metrics, spans and log lines as Vigil's topics carry them); --no-live leaves it out.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  anomalyScoreRanker,
  baroRanker,
  defaultAnomalyScale,
  evaluateRankings,
  evaluateRankingsByFaultType,
  microRcaRanker,
  randomRanker,
  rankedServices,
  rankOfRoot,
  rankRootCauses,
  type RankedCaseOutcome,
  type RankingMetrics,
  type RcaCase,
  serviceAnomalies,
  type RootCauseRanker,
} from '@vigil/rca';
import { dayFolders, loadDay, type RealCase } from './rca-real/nezha-cases';
import { percentile, processMemoryMiB } from './support/process-memory';
import { progress } from './support/progress';

const ARCHIVE_SHA256 = '951457c6ea77e7ac9dd8fb8bb50b461d2fc30fb894ae88693660f36976eeab3e';
const LATE_S = [0, 60] as const;
const DEFAULT_DATA = '.vigil/datasets/nezha';

interface Method {
  name: string;
  graph: boolean;
  rank: RootCauseRanker;
  /** Another case than the offline one (absent from a run without it: the row is left out). */
  input?: (c: RealCase) => RcaCase | undefined;
}

const METHODS: Method[] = [
  { name: 'vigil', graph: true, rank: (c) => rankRootCauses(c) },
  { name: 'vigil (no call graph)', graph: false, rank: (c) => rankRootCauses(c) },
  // the same ranker on what apps/rca's evidence store holds after the case's records streamed in
  { name: 'vigil (live path)', graph: true, rank: (c) => rankRootCauses(c), input: (c) => c.live },
  { name: 'baro', graph: false, rank: baroRanker },
  // BARO as published reads pod metrics only: the row that tells whether the trace and log
  // series everyone gets above help it or drown it
  { name: 'baro (pod metrics only)', graph: false, rank: (c) => baroRanker(podMetricsOnly(c)) },
  { name: 'microrca (ppr)', graph: true, rank: microRcaRanker() },
  { name: 'anomaly-score', graph: false, rank: anomalyScoreRanker },
  { name: 'random', graph: false, rank: randomRanker() },
];

/** The case without the series derived from traces and logs (theirs are named trace_* and log_*). */
function podMetricsOnly(input: RcaCase): RcaCase {
  return { ...input, series: input.series.filter((s) => !/^(trace|log)_/.test(s.metric)) };
}

interface Args {
  data: string;
  archive?: string;
  lenient: boolean;
  details: boolean;
  out: string;
  /** A case id (`<day> #<n>`) whose Vigil ranking is printed with its evidence. */
  explain?: string;
  /** Leave out the live-path row (the replay through apps/rca's store takes most of the run). */
  noLive: boolean;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    data: value('--data') ?? DEFAULT_DATA,
    archive: value('--archive'),
    lenient: argv.includes('--lenient'),
    details: argv.includes('--details'),
    out: value('--out') ?? 'bench/results/rca-real.json',
    explain: value('--explain'),
    noLive: argv.includes('--no-live'),
  };
}

/** The data folder, unpacked from the archive (hash-checked) the first time. */
function ensureData(args: Args): string {
  if (existsSync(join(args.data, 'rca_data'))) return args.data;
  // a folder the user named is theirs: it is read, never unpacked into
  if (resolve(args.data) !== resolve(DEFAULT_DATA))
    throw new Error(
      `${args.data} has no rca_data/ folder: --data names a clone of the Nezha repository`,
    );
  // The workspace keeps the archive beside the clone; --archive names any other copy.
  const archive = args.archive ?? resolve('..', 'shared', 'datasets', 'nezha', 'nezha.tar.gz');
  if (!existsSync(archive))
    throw new Error(
      `no data under ${args.data} and no archive at ${archive}: pass --data DIR (a clone of the Nezha repository) or --archive nezha.tar.gz`,
    );
  const hash = createHash('sha256').update(readFileSync(archive)).digest('hex');
  if (hash !== ARCHIVE_SHA256)
    throw new Error(`${archive}: sha256 ${hash}, expected ${ARCHIVE_SHA256}`);
  const target = dirname(resolve(args.data));
  mkdirSync(target, { recursive: true });
  progress(`unpacking ${archive} into ${target}`);
  execFileSync('tar', ['xzf', archive, '-C', target]);
  process.stderr.write('\n');
  return args.data;
}

interface MethodResult {
  outcomes: Array<RankedCaseOutcome & { system: string; id: string }>;
  timesMs: number[];
}

function runMethods(cases: readonly RealCase[]): Map<string, MethodResult> {
  const results = new Map<string, MethodResult>();
  for (const method of METHODS) {
    const result: MethodResult = { outcomes: [], timesMs: [] };
    for (const c of cases) {
      const input = method.input ? method.input(c) : method.graph ? c.withGraph : c.withoutGraph;
      if (!input) continue;
      const started = performance.now();
      const ranking = rankedServices(method.rank(input));
      result.timesMs.push(performance.now() - started);
      result.outcomes.push({
        system: c.system,
        id: c.id,
        rootService: c.fault.rootService,
        faultType: c.fault.faultType,
        ranking,
      });
    }
    if (result.outcomes.length > 0) results.set(method.name, result);
  }
  return results;
}

const f3 = (x: number) => x.toFixed(3);

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ')).join('\n') + '\n';
}

interface Figures {
  system: string;
  lateS: number;
  faultType: string;
  method: string;
  metrics: RankingMetrics;
}

function figuresOf(lateS: number, results: Map<string, MethodResult>): Figures[] {
  const out: Figures[] = [];
  for (const [method, result] of results) {
    const systems = [...new Set(result.outcomes.map((o) => o.system))].sort();
    for (const system of systems) {
      const mine = result.outcomes.filter((o) => o.system === system);
      out.push({ system, lateS, faultType: 'all', method, metrics: evaluateRankings(mine) });
      for (const [faultType, metrics] of evaluateRankingsByFaultType(mine))
        out.push({ system, lateS, faultType, method, metrics });
    }
  }
  return out;
}

function printFigures(figures: readonly Figures[]): void {
  const keys = [...new Set(figures.map((f) => `${f.system}\u0000${f.lateS}`))];
  for (const key of keys) {
    const [system, late] = key.split('\u0000');
    const mine = figures.filter((f) => f.system === system && String(f.lateS) === late);
    const faultTypes = [...new Set(mine.map((f) => f.faultType))];
    process.stdout.write(
      `\n${system}, detection ${late} s after the injection (AC@1 / AC@3 / Avg@5)\n`,
    );
    const header = [
      'method',
      ...faultTypes.map((t) => `${t} (${mine.find((f) => f.faultType === t)?.metrics.cases})`),
    ];
    const rows = METHODS.filter((m) => mine.some((f) => f.method === m.name)).map((m) => [
      m.name,
      ...faultTypes.map((t) => {
        const x = mine.find((f) => f.method === m.name && f.faultType === t)?.metrics;
        return x ? `${f3(x.ac1)} / ${f3(x.ac3)} / ${f3(x.avg5)}` : '-';
      }),
    ]);
    process.stdout.write(table([header, ...rows]));
  }
}

/**
 * Per system, the cases whose root has no significant evidence of its own (Vigil's anomaly view
 * of the case with its call graph): what the data does not show, whatever ranks it.
 */
function silentRoots(
  cases: readonly RealCase[],
): Record<string, { cases: number; silent: string[] }> {
  const out: Record<string, { cases: number; silent: string[] }> = {};
  for (const c of cases) {
    const entry = (out[c.system] ??= { cases: 0, silent: [] });
    entry.cases++;
    const root = serviceAnomalies(c.withGraph, defaultAnomalyScale).get(c.fault.rootService);
    if ((root?.cause ?? 0) === 0) entry.silent.push(`${c.id} ${c.fault.faultType}`);
  }
  return out;
}

function printMisses(cases: readonly RealCase[], results: Map<string, MethodResult>): void {
  const vigil = results.get('vigil');
  if (!vigil) return;
  process.stdout.write('\nvigil misses (root not first):\n');
  vigil.outcomes.forEach((o, i) => {
    const rank = rankOfRoot(o.ranking, o.rootService);
    if (rank === 1) return;
    process.stdout.write(
      `  ${o.id} ${o.system} ${o.faultType} root ${o.rootService} ranked ${rank ?? '-'}; top: ${o.ranking.slice(0, 3).join(', ')}  (${cases[i].fault.rootInstance})\n`,
    );
  });
}

function explain(cases: readonly RealCase[], id: string): void {
  const found = cases.find((c) => c.id === id);
  if (!found) throw new Error(`no case ${id}`);
  process.stdout.write(`${found.id} ${found.fault.faultType} on ${found.fault.rootService}\n`);
  const ranking = rankRootCauses(found.withGraph);
  // the top eight, and the root wherever it stands: what it lacked is the point of asking
  const shown = ranking.filter((c, i) => i < 8 || c.service === found.fault.rootService);
  for (const cause of shown) {
    process.stdout.write(
      `#${ranking.indexOf(cause) + 1} ${cause.service.padEnd(32)} ${cause.score.toFixed(3)}  path ${cause.path.join(' > ')}\n`,
    );
    for (const m of cause.evidence.metrics.slice(0, 4))
      process.stdout.write(
        `    ${m.metric} ${m.direction} ${m.score.toFixed(1)} at ${new Date(m.onset).toISOString().slice(11, 19)}\n`,
      );
    for (const l of cause.evidence.logs.slice(0, 3))
      process.stdout.write(
        `    log ${l.pattern} ${l.score.toFixed(2)} ${l.template.slice(0, 90)}\n`,
      );
    for (const s of cause.evidence.steps?.slice(0, 3) ?? [])
      process.stdout.write(
        `    missing step on ${s.service}: ${s.from} -> ${s.to} (usually ${(100 * s.usual).toFixed(0)}%), ` +
          `${s.observed} of ${s.expected.toFixed(1)} expected, surprise ${s.surprise.toFixed(1)} x ${s.share}\n`,
      );
  }
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const data = ensureData(args);
  const allFigures: Figures[] = [];
  const timing: Record<string, { p50: number; p95: number; max: number }> = {};
  let skipped = 0;
  const silentByLate: Record<string, ReturnType<typeof silentRoots>> = {};
  const unreadable = new Set<string>();
  const byLate = new Map<number, RealCase[]>(LATE_S.map((l) => [l, []]));
  // --explain names one case: only its day's folder is read
  const explainDay = args.explain?.split(' #')[0];
  const days = dayFolders(data).filter((d) => !explainDay || basename(d) === explainDay);
  for (const day of days) {
    const loaded = loadDay(day, {
      lateMs: LATE_S.map((l) => l * 1000),
      lenient: args.lenient,
      live: !args.noLive && !args.explain,
      onProgress: progress,
    });
    // every lateness holds the same day's rows and labels: count them once
    skipped += loaded.get(0)?.skippedRows ?? 0;
    for (const [late, load] of loaded) {
      byLate.get(late / 1000)?.push(...load.cases);
      load.unreadable.forEach((u) => unreadable.add(u));
    }
  }
  process.stderr.write('\n');
  if (args.explain) return explain(byLate.get(0) ?? [], args.explain);
  for (const lateS of LATE_S) {
    const cases = byLate.get(lateS) ?? [];
    progress(`ranking ${cases.length} cases, detection ${lateS} s late`);
    const results = runMethods(cases);
    allFigures.push(...figuresOf(lateS, results));
    if (lateS === 0) {
      for (const [name, r] of results) {
        const sorted = [...r.timesMs].sort((a, b) => a - b);
        timing[name] = {
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          max: sorted[sorted.length - 1],
        };
      }
      if (args.details) printMisses(cases, results);
    }
    silentByLate[String(lateS)] = silentRoots(cases);
  }
  process.stderr.write('\n');
  printFigures(allFigures);
  const memory = processMemoryMiB(process.pid);
  process.stdout.write('\nranking time per case (ms, detection at injection)\n');
  process.stdout.write(
    table([
      ['method', 'p50', 'p95', 'max'],
      ...Object.entries(timing).map(([m, t]) => [
        m,
        t.p50.toFixed(1),
        t.p95.toFixed(1),
        t.max.toFixed(1),
      ]),
    ]),
  );
  process.stdout.write(`peak memory ${memory.peak} MiB (whole run, data loading included)\n`);
  for (const [late, bySystem] of Object.entries(silentByLate))
    for (const [system, s] of Object.entries(bySystem)) {
      const when = late === '0' ? '' : `, detection ${late} s late`;
      const after = late === '0' ? '' : ' after it';
      const which = args.details && s.silent.length > 0 ? ` (${s.silent.join('; ')})` : '';
      process.stdout.write(
        `${system}${when}: ${s.silent.length} of ${s.cases} roots show no significant change of their own${after}${which}\n`,
      );
    }
  if (unreadable.size > 0)
    process.stdout.write(`labels that could not be read: ${[...unreadable].join('; ')}\n`);
  if (args.lenient) process.stdout.write(`rows skipped (--lenient): ${skipped}\n`);
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(
    args.out,
    JSON.stringify(
      {
        bench: 'rca-real',
        dataset: 'nezha',
        date: new Date().toISOString().slice(0, 10),
        cases: Object.fromEntries([...byLate].map(([l, c]) => [`late${l}`, c.length])),
        figures: allFigures,
        rankingTimeMs: timing,
        peakMemoryMiB: memory.peak,
        silentRoots: silentByLate['0'] ?? {},
        silentRootsLate: Object.fromEntries(
          Object.entries(silentByLate).filter(([late]) => late !== '0'),
        ),
        unreadableLabels: [...unreadable],
        skippedRows: skipped,
      },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`wrote ${args.out}\n`);
}

main();
