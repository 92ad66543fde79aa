// Alert-correlation quality on the generated corpus (bench/correlation/README.md):
//   npm run bench:correlation -- [--scenario ID[,ID...]] [--seed SEED] [--json FILE] [--threads N]
//                                [--details]   (lists Vigil's incidents that mix true incidents)
// For each scenario and overall it prints, for Vigil and for two baselines run in the same run
// (fingerprint dedup alone; Alertmanager-style grouping by [alertname, cluster, service]):
// compression, pairwise precision/recall/F1, adjusted Rand index, V-measure (= NMI), per-incident
// (macro) purity and recall, and incidents found against the truth; then the embedder's
// throughput and the cache hit rate. Progress goes to stderr, figures to stdout.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Alert } from '@vigil/contracts';
import { correlateAlerts } from '@vigil/correlation';
import {
  type GroupingMetrics,
  alertmanagerGrouping,
  evaluateGrouping,
  fingerprintGrouping,
} from '@vigil/correlation';
import { CachedEmbedder, type Embedder, SentenceEmbedder } from '@vigil/embeddings';
import {
  type ScenarioCorpus,
  DEFAULT_CORPUS_SEED,
  generateCorpus,
} from './correlation/corpus-generator';

const METHODS = ['vigil', 'fingerprint', 'alertmanager'] as const;
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
}

interface ScenarioResult {
  id: string;
  /** Group label per alert, per method; labels are scenario-local. */
  groups: Record<Method, string[]>;
  truth: string[];
  metrics: Record<Method, GroupingMetrics>;
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
  const args: Args = { seed: DEFAULT_CORPUS_SEED, details: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--details') {
      args.details = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--seed') args.seed = value;
    else if (flag === '--scenario') args.only = value.split(',');
    else if (flag === '--json') args.json = value;
    else if (flag === '--threads') args.threads = Number(value);
    else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

function progress(text: string): void {
  // one updating line on a terminal; one line per step when stderr goes to a file
  process.stderr.write(process.stderr.isTTY ? `\r${text.padEnd(60)}` : `${text}\n`);
}

async function runScenario(
  scenario: ScenarioCorpus,
  embed: CachedEmbedder,
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
  const groups: Record<Method, string[]> = {
    vigil,
    fingerprint: fingerprintGrouping(alerts),
    alertmanager: alertmanagerGrouping(alerts),
  };
  const metrics = Object.fromEntries(
    METHODS.map((m) => [m, evaluateGrouping(truth, groups[m])]),
  ) as Record<Method, GroupingMetrics>;
  return { id: scenario.id, groups, truth, metrics, correlateMs };
}

/** Overall figures over all scenarios at once; labels get the scenario as prefix to stay apart. */
function overall(results: readonly ScenarioResult[]): Record<Method, GroupingMetrics> {
  const truth = results.flatMap((r) => r.truth);
  return Object.fromEntries(
    METHODS.map((m) => [
      m,
      evaluateGrouping(
        truth,
        results.flatMap((r) => r.groups[m].map((g) => `${r.id}|${g}`)),
      ),
    ]),
  ) as Record<Method, GroupingMetrics>;
}

const COLUMNS: Array<[string, (m: GroupingMetrics) => string]> = [
  ['alerts', (m) => String(m.items)],
  ['incidents', (m) => `${m.predictedIncidents}/${m.trueIncidents}`],
  ['compr', (m) => `${m.compression.toFixed(1)}x`],
  ['P', (m) => m.precision.toFixed(3)],
  ['R', (m) => m.recall.toFixed(3)],
  ['F1', (m) => m.f1.toFixed(3)],
  ['ARI', (m) => m.ari.toFixed(3)],
  ['V(NMI)', (m) => m.vMeasure.toFixed(3)],
  ['hom', (m) => m.homogeneity.toFixed(3)],
  ['compl', (m) => m.completeness.toFixed(3)],
  ['mPur', (m) => m.macroPurity.toFixed(3)],
  ['mRec', (m) => m.macroRecall.toFixed(3)],
];

function table(title: string, metrics: Record<Method, GroupingMetrics>): string {
  const rows = [['method', ...COLUMNS.map(([name]) => name)]];
  for (const m of METHODS) rows.push([m, ...COLUMNS.map(([, cell]) => cell(metrics[m]))]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [title, ...rows.map(line)].join('\n');
}

/** Vigil's incidents that hold more than one true incident, largest first: where precision goes. */
function mixedIncidents(r: ScenarioResult, limit = 5): string {
  const members = new Map<string, Map<string, number>>();
  r.groups.vigil.forEach((group, i) => {
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

function verdicts(all: Record<Method, GroupingMetrics>): string[] {
  const v = all.vigil;
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
  progress('generating the corpus ...');
  const corpus = generateCorpus(args.seed, args.only);
  if (corpus.scenarios.length === 0)
    throw new Error(`no scenario matches ${args.only?.join(', ')}`);
  progress('loading all-MiniLM-L6-v2 ...');
  const model = await SentenceEmbedder.load({ intraOpThreads: args.threads });
  await model.embed(['warm-up: the first ONNX run allocates; keep it out of the throughput']);
  const metered = new MeteredEmbedder(model);
  // One cache for the whole run, as in a running correlator that has seen earlier days.
  const cached = new CachedEmbedder(metered, { embedText: 'normalized' });
  const results: ScenarioResult[] = [];
  for (const scenario of corpus.scenarios) results.push(await runScenario(scenario, cached));
  process.stderr.write('\n');
  await model.dispose();
  report(args, corpus.seed, results, metered, cached);
}

function report(
  args: Args,
  seed: string,
  results: readonly ScenarioResult[],
  metered: MeteredEmbedder,
  cached: CachedEmbedder,
): void {
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
  if (args.json) {
    const perScenario = Object.fromEntries(results.map((r) => [r.id, r.metrics]));
    writeFileSync(
      args.json,
      JSON.stringify({ seed, overall: all, scenarios: perScenario, cache: stats }, null, 2) + '\n',
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
