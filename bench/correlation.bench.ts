// Alert-correlation quality on the generated corpus (bench/correlation/README.md):
//   npm run bench:correlation -- [--scenario ID[,ID...]] [--seed SEED] [--json FILE] [--threads N]
//                                [--details]   (lists Vigil's incidents that mix true incidents)
//                                [--family tuned|storm|all] [--speedup N] [--no-alertmanager]
//                                [--tuned-speedup N] [--results FILE]
// `--family storm` is the storm family (bench/correlation/storm-family), written apart from the 13
// tuned scenarios, with its own frozen seed; there the real Alertmanager (.vigil/bin) runs beside
// the baselines, replayed `--speedup` times faster than real time (default 60). A run over all
// families writes bench/results/correlation.json (or --results FILE). `--tuned-speedup N` also
// replays the 13 tuned scenarios into the real Alertmanager, N times faster than real time.
// For each scenario and overall it prints, for Vigil and for the baselines run in the same run
// (fingerprint dedup alone; Alertmanager-style grouping by [alertname, cluster, service]
// re-implemented in TS; the real Alertmanager where it runs):
// compression, pairwise precision/recall/F1, adjusted Rand index, V-measure (= NMI), per-incident
// (macro) purity and recall, and incidents found against the truth; then the embedder's
// throughput and the cache hit rate. Progress goes to stderr, figures to stdout.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Alert } from '@vigil/contracts';
import {
  type GroupingMetrics,
  alertmanagerGrouping,
  correlateAlerts,
  correlationConfig,
  evaluateGrouping,
  fingerprintGrouping,
  resolveTimeoutOf,
} from '@vigil/correlation';
import { CachedEmbedder, type Embedder, SentenceEmbedder } from '@vigil/embeddings';
import {
  type ScenarioCorpus,
  DEFAULT_CORPUS_SEED,
  generateCorpus,
} from './correlation/corpus-generator';
import {
  STORM_FAMILY_SEED,
  STORM_SCENARIOS,
  generateStormFamily,
} from './correlation/storm-family';
import {
  type StormFigures,
  stormOverall,
  stormTable,
  stormVerdicts,
} from './correlation/storm-family/storm-report';
import {
  type StormScenarioResult,
  reimplementedBaselines,
  runRealAlertmanager,
  runVigil,
  scoreStorm,
  STORM_METHODS,
  STORM_RESOLVE_TIMEOUTS,
} from './correlation/storm-family/storm-run';
import { STREAM_TIMERS, replayIntoAlertmanager } from './alertmanager/alertmanager-replay';
import { metricColumns, textTable } from './correlation/text-table';
import { progress } from './support/progress';

const METHODS = ['vigil', 'alertmanager-real', 'fingerprint', 'alertmanager'] as const;
type Method = (typeof METHODS)[number];

/** The must-show bar, checked on the overall figures. */
const MUST = { f1: 0.9, compression: 10 };

interface Args {
  seed: string;
  only?: string[];
  json?: string;
  threads?: number;
  /** Also list Vigil's mixed incidents (several true incidents in one) per scenario. */
  details: boolean;
  family: 'tuned' | 'storm' | 'all';
  /** How much faster than real time the stream is replayed into the real Alertmanager. */
  speedup: number;
  alertmanager: boolean;
  /** Also the real Alertmanager on the 13 tuned scenarios, this much faster than real time (0: not). */
  tunedSpeedup: number;
  results?: string;
}

const DEFAULT_RESULTS = 'bench/results/correlation.json';

interface ScenarioResult {
  id: string;
  /** Group label per alert, per method; labels are scenario-local. */
  groups: Partial<Record<Method, string[]>>;
  truth: string[];
  metrics: Partial<Record<Method, GroupingMetrics>>;
  correlateMs: number;
}

/** Counts what reaches the model, behind the cache: that is the embedding throughput. */
class MeteredEmbedder implements Embedder {
  texts = 0;
  ms = 0;
  constructor(private readonly inner: Embedder) {}
  get dimension(): number {
    return this.inner.dimension;
  }
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const started = performance.now();
    const vectors = await this.inner.embed(texts);
    this.ms += performance.now() - started;
    this.texts += texts.length;
    return vectors;
  }
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    seed: DEFAULT_CORPUS_SEED,
    details: false,
    family: 'all',
    speedup: 60,
    alertmanager: true,
    tunedSpeedup: 0,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--details' || flag === '--no-alertmanager') {
      if (flag === '--details') args.details = true;
      else args.alertmanager = false;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--seed') args.seed = value;
    else if (flag === '--scenario') args.only = value.split(',');
    else if (flag === '--json') args.json = value;
    else if (flag === '--threads') args.threads = Number(value);
    else if (flag === '--family' && (value === 'tuned' || value === 'storm' || value === 'all'))
      args.family = value;
    else if (flag === '--speedup') args.speedup = Number(value);
    else if (flag === '--tuned-speedup') args.tunedSpeedup = Number(value);
    else if (flag === '--results') args.results = value;
    else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

async function runScenario(
  scenario: ScenarioCorpus,
  embed: CachedEmbedder,
  tunedSpeedup: number,
): Promise<ScenarioResult> {
  const alerts: Alert[] = scenario.alerts.map((a) => a.alert);
  const truth = scenario.alerts.map((a) => a.truth);
  const started = performance.now();
  const { incidentOf } = await correlateAlerts(alerts, {
    embed: (texts) => embed.embed(texts),
    topology: scenario.topology,
    onProgress: (done, total) => {
      if (done === total || done % 2048 === 0) progress(`${scenario.id}: ${done}/${total} alerts`);
    },
  });
  const correlateMs = performance.now() - started;
  // A resolve the correlator could not place ('') stands alone rather than forming one group.
  const vigil = incidentOf.map((id, i) => id || `unassigned:${i}`);
  const groups: Partial<Record<Method, string[]>> = {
    vigil,
    fingerprint: fingerprintGrouping(alerts),
    alertmanager: alertmanagerGrouping(alerts),
  };
  if (tunedSpeedup > 0) {
    progress(`${scenario.id}: the real Alertmanager ...`);
    const config = correlationConfig({ resolveTimeouts: STORM_RESOLVE_TIMEOUTS });
    const real = await replayIntoAlertmanager(alerts, {
      speedup: tunedSpeedup,
      resolveTimeoutMs: (alert) => resolveTimeoutOf(alert, config),
      silences: [],
    });
    groups['alertmanager-real'] = real.groups;
    progress(
      `${scenario.id}: Alertmanager replay ${real.wallSeconds.toFixed(0)} s, posts late by p99 ${real.p99LateStreamSeconds.toFixed(1)} s, at most ${real.maxLateStreamSeconds.toFixed(1)} s (stream time)`,
    );
  }
  const metrics: Partial<Record<Method, GroupingMetrics>> = {};
  for (const m of METHODS) {
    const g = groups[m];
    if (g) metrics[m] = evaluateGrouping(truth, g);
  }
  return { id: scenario.id, groups, truth, metrics, correlateMs };
}

/** Overall figures over all scenarios at once; labels get the scenario as prefix to stay apart. */
function overall(results: readonly ScenarioResult[]): Partial<Record<Method, GroupingMetrics>> {
  const truth = results.flatMap((r) => r.truth);
  const all: Partial<Record<Method, GroupingMetrics>> = {};
  for (const m of METHODS) {
    if (!results.every((r) => r.groups[m])) continue;
    all[m] = evaluateGrouping(
      truth,
      results.flatMap((r) => (r.groups[m] ?? []).map((g) => `${r.id}|${g}`)),
    );
  }
  return all;
}

const COLUMNS = metricColumns<GroupingMetrics>(
  ['alerts', 'incidents', 'compr', 'P', 'R', 'F1', 'ARI', 'V(NMI)', 'hom', 'compl', 'mPur', 'mRec'],
  (m) => m,
);

function table(title: string, metrics: Partial<Record<Method, GroupingMetrics>>): string {
  return textTable(
    title,
    COLUMNS,
    METHODS.map((m) => [m, metrics[m]]),
  );
}

/** Vigil's incidents that hold more than one true incident, largest first: where precision goes. */
function mixedIncidents(r: ScenarioResult, limit = 5): string {
  const members = new Map<string, Map<string, number>>();
  (r.groups.vigil ?? []).forEach((group, i) => {
    const counts = members.get(group) ?? new Map<string, number>();
    const truth = r.truth[i].slice(r.id.length + 1);
    counts.set(truth, (counts.get(truth) ?? 0) + 1);
    members.set(group, counts);
  });
  const mixed = [...members.entries()]
    .filter(([, counts]) => counts.size > 1)
    .sort((a, b) => b[1].size - a[1].size)
    .slice(0, limit);
  if (mixed.length === 0) return '  vigil: no incident mixes true incidents';
  return mixed
    .map(([group, counts]) => {
      const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`);
      return `  vigil ${group} holds ${counts.size} true incidents: ${parts.join(', ')}`;
    })
    .join('\n');
}

function verdicts(figures: Partial<Record<Method, GroupingMetrics>>): string[] {
  const { vigil: v, fingerprint, alertmanager } = figures;
  if (!v || !fingerprint || !alertmanager) return [];
  const all = { fingerprint, alertmanager };
  const check = (ok: boolean, text: string): string => `${ok ? 'PASS' : 'FAIL'}  ${text}`;
  return [
    check(v.f1 >= MUST.f1, `pairwise F1 ${v.f1.toFixed(3)} >= ${MUST.f1}`),
    check(
      v.compression >= MUST.compression,
      `compression ${v.compression.toFixed(1)}x >= ${MUST.compression}x`,
    ),
    check(
      v.f1 > all.fingerprint.f1 && v.f1 > all.alertmanager.f1,
      `F1 above both baselines (fingerprint ${all.fingerprint.f1.toFixed(3)}, alertmanager ${all.alertmanager.f1.toFixed(3)})`,
    ),
  ];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  progress('loading all-MiniLM-L6-v2 ...');
  const model = await SentenceEmbedder.load({ intraOpThreads: args.threads });
  await model.embed(['warm-up: the first ONNX run allocates; keep it out of the throughput']);
  const metered = new MeteredEmbedder(model);
  // One cache for the whole run, as in a running correlator that has seen earlier days.
  const cached = new CachedEmbedder(metered, { embedText: 'normalized' });
  let tuned: ReturnType<typeof report> | undefined;
  if (args.family !== 'storm') {
    progress('generating the corpus ...');
    const corpus = generateCorpus(args.seed, args.only);
    if (corpus.scenarios.length === 0)
      throw new Error(`no scenario matches ${args.only?.join(', ')}`);
    const results: ScenarioResult[] = [];
    for (const scenario of corpus.scenarios)
      results.push(await runScenario(scenario, cached, args.alertmanager ? args.tunedSpeedup : 0));
    process.stderr.write('\n');
    tuned = report(args, corpus.seed, results, metered, cached);
  }
  let storm: ReturnType<typeof reportStorm> | undefined;
  if (args.family !== 'tuned') storm = reportStorm(await runStorm(args, cached), args);
  await model.dispose();
  const results =
    args.results ?? (args.family === 'all' && !args.only ? DEFAULT_RESULTS : undefined);
  if (results) writeResults(results, args, tuned, storm);
}

async function runStorm(args: Args, embed: CachedEmbedder): Promise<StormScenarioResult[]> {
  const family = generateStormFamily(STORM_SCENARIOS);
  const results: StormScenarioResult[] = [];
  for (const scenario of family) {
    progress(`${scenario.id}: vigil ...`);
    const started = performance.now();
    const groups: StormScenarioResult['groups'] = {
      vigil: await runVigil(scenario, (texts) => embed.embed(texts)),
    };
    const correlateMs = performance.now() - started;
    const result: StormScenarioResult = {
      id: scenario.id,
      truth: scenario.alerts.map((a) => a.truth),
      heldTruth: scenario.alerts.map((a) => a.heldBy !== undefined),
      groups,
      metrics: {},
      held: {},
      correlateMs,
    };
    if (args.alertmanager) {
      const minutes = (scenario.end - scenario.start) / 60_000 / args.speedup;
      progress(`${scenario.id}: the real Alertmanager (~${minutes.toFixed(1)} min) ...`);
      const real = await runRealAlertmanager(scenario, args.speedup);
      groups['alertmanager-real'] = real.groups;
      result.alertmanager = {
        notifications: real.notifications,
        refused: real.refused,
        wallSeconds: real.wallSeconds,
        speedup: args.speedup,
        maxLateStreamSeconds: real.maxLateStreamSeconds,
        p99LateStreamSeconds: real.p99LateStreamSeconds,
      };
    }
    Object.assign(groups, reimplementedBaselines(scenario));
    for (const m of STORM_METHODS) {
      const g = groups[m];
      if (!g) continue;
      const scored = scoreStorm(result.truth, result.heldTruth, g);
      result.metrics[m] = scored.metrics;
      result.held[m] = scored.held;
    }
    results.push(result);
  }
  process.stderr.write('\n');
  return results;
}

function reportStorm(results: readonly StormScenarioResult[], args: Args) {
  console.log(
    `\nStorm family: ${results.length} scenarios, ${results.reduce((n, r) => n + r.truth.length, 0)} alerts, seed "${STORM_FAMILY_SEED}"`,
  );
  console.log(
    'written apart from the tuned 13; figures over the alerts the truth lets through; "held in incidents" = ' +
      'silenced or maintained alerts a method still put into an incident',
  );
  if (args.alertmanager)
    console.log(
      `alertmanager-real: Alertmanager v0.35.0 (.vigil/bin), group_by [alertname, cluster, service], ` +
        `group_wait 30s, group_interval 5m, repeat_interval 4h, replayed ${args.speedup}x faster than real ` +
        `time with every timer divided by ${args.speedup}; silences and windows as silences\n`,
    );
  for (const r of results) {
    const am = r.alertmanager
      ? `; Alertmanager sent ${r.alertmanager.notifications} notifications, replay ${r.alertmanager.wallSeconds.toFixed(0)} s, posts late by p99 ${r.alertmanager.p99LateStreamSeconds.toFixed(1)} s, at most ${r.alertmanager.maxLateStreamSeconds.toFixed(1)} s (stream time)`
      : '';
    console.log(
      stormTable(`${r.id}  (Vigil correlated in ${(r.correlateMs / 1000).toFixed(1)} s${am})`, r) +
        '\n',
    );
  }
  const all = stormOverall(results);
  console.log(stormTable('STORM FAMILY OVERALL', all) + '\n');
  for (const line of stormVerdicts(all)) console.log(line);
  return { results, all };
}

function commitOf(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function writeResults(
  path: string,
  args: Args,
  tuned: ReturnType<typeof report> | undefined,
  storm: { results: readonly StormScenarioResult[]; all: StormFigures } | undefined,
): void {
  const stormScenarios = storm
    ? Object.fromEntries(
        storm.results.map((r) => [
          r.id,
          { metrics: r.metrics, held: r.held, alertmanager: r.alertmanager },
        ]),
      )
    : undefined;
  const json = {
    meta: {
      date: new Date().toISOString(),
      commit: commitOf(),
      seeds: { tuned: args.seed, storm: STORM_FAMILY_SEED },
      alertmanager: args.alertmanager
        ? {
            version: '0.35.0',
            groupBy: ['alertname', 'cluster', 'service'],
            streamTimersMs: STREAM_TIMERS,
            speedup: args.speedup,
            tunedSpeedup: args.tunedSpeedup > 0 ? args.tunedSpeedup : undefined,
          }
        : undefined,
    },
    families: {
      ...(tuned ? { tuned: { overall: tuned.overall, scenarios: tuned.scenarios } } : {}),
      ...(storm ? { storm: { overall: storm.all, scenarios: stormScenarios } } : {}),
    },
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nwrote ${path}`);
}

function report(
  args: Args,
  seed: string,
  results: readonly ScenarioResult[],
  metered: MeteredEmbedder,
  cached: CachedEmbedder,
) {
  const total = results.reduce((n, r) => n + r.truth.length, 0);
  console.log(
    `Correlation benchmark: ${results.length} scenarios, ${total} alerts, seed "${seed}"`,
  );
  console.log('incidents = found/true; mPur, mRec = per true incident, macro-averaged\n');
  for (const r of results) {
    const took = `${(r.correlateMs / 1000).toFixed(1)} s`;
    console.log(table(`${r.id}  (correlated in ${took})`, r.metrics));
    console.log(args.details ? `${mixedIncidents(r)}\n` : '');
  }
  const all = overall(results);
  console.log(table('OVERALL', all) + '\n');
  const stats = cached.stats();
  const correlateSeconds = results.reduce((s, r) => s + r.correlateMs, 0) / 1000;
  console.log(
    `embeddings: ${metered.texts} texts through the model in ${(metered.ms / 1000).toFixed(1)} s ` +
      `= ${(metered.texts / Math.max(metered.ms / 1000, 1e-9)).toFixed(0)} embeddings/s; ` +
      `cache hit rate ${(stats.hitRate * 100).toFixed(1)}% (${stats.hits} hits, ${stats.misses} misses)`,
  );
  console.log(
    `correlation: ${total} alerts in ${correlateSeconds.toFixed(1)} s = ${(total / correlateSeconds).toFixed(0)} alerts/s (embedding included)\n`,
  );
  for (const line of verdicts(all)) console.log(line);
  const perScenario = Object.fromEntries(results.map((r) => [r.id, r.metrics]));
  if (args.json) {
    writeFileSync(
      args.json,
      JSON.stringify({ seed, overall: all, scenarios: perScenario, cache: stats }, null, 2) + '\n',
    );
  }
  return { overall: all, scenarios: perScenario };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
