// Alert lifecycle on a four-day replay (bench/correlation/lifecycle-stream.ts): 70% of alerts
// never send a resolve, chronic and flapping background alerts sit on the services real incidents
// hit. Runs the correlator as it runs live (alerts expire by endsAt or resolve timeout, incidents
// close at their maximum age, chronic alerts alone pull nothing in) and, for contrast, as it ran
// before (nothing ends without a resolve). Prints incidents found against the truth, the oldest
// incident, pairwise F1 and how incidents ended; writes bench/results/lifecycle.json.
//   npm run bench:lifecycle -- [--seed SEED] [--json FILE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Alert, IncidentEvent } from '@vigil/contracts';
import {
  correlateAlerts,
  defaultCorrelationConfig,
  evaluateGrouping,
  type CorrelationConfig,
  type GroupingMetrics,
  type ResolveTimeoutRule,
} from '@vigil/correlation';
import { CachedEmbedder, SentenceEmbedder } from '@vigil/embeddings';
import {
  DEFAULT_LIFECYCLE_SEED,
  generateLifecycleStream,
  type LifecycleStream,
} from './correlation/lifecycle-stream';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** The issue's targets: incident count within 15% of the truth, none older than its maximum age. */
const COUNT_TOLERANCE = 0.15;

/**
 * What an operator sets for these sources: a resolve timeout of about three re-send intervals
 * (Prometheus re-sends each minute and keeps the 5-minute default), a day for CloudWatch alarms,
 * which notify on state changes only.
 */
const RESOLVE_TIMEOUTS: ResolveTimeoutRule[] = [
  { match: { source: 'loki' }, timeoutMs: 15 * MIN },
  { match: { source: 'alertmanager' }, timeoutMs: 15 * MIN },
  { match: { source: 'grafana' }, timeoutMs: 15 * MIN },
  { match: { source: 'newrelic' }, timeoutMs: 15 * MIN },
  { match: { source: 'datadog' }, timeoutMs: 30 * MIN },
  { match: { source: 'zabbix' }, timeoutMs: 30 * MIN },
  { match: { source: 'cloudwatch' }, timeoutMs: 24 * HOUR },
];

interface Run {
  name: string;
  metrics: GroupingMetrics;
  maxAgeHours: number;
  oldestIncident: string;
  largestIncidentAlerts: number;
  openAtEnd: number;
  endedBy: Record<string, number>;
  flappingMarks: number;
  seconds: number;
}

function parseArgs(argv: string[]): { seed: string; json: string } {
  const args = { seed: DEFAULT_LIFECYCLE_SEED, json: 'bench/results/lifecycle.json' };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${argv[i]} needs a value`);
    if (argv[i] === '--seed') args.seed = value;
    else if (argv[i] === '--json') args.json = value;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return args;
}

/**
 * How long each incident lived: from opening to its last resolve (or merge into another), or to
 * the end of the stream when still open then.
 */
function lifetimes(events: readonly IncidentEvent[], streamEnd: number) {
  const opened = new Map<string, number>();
  const ended = new Map<string, number | undefined>();
  for (const event of events) {
    const at = Date.parse(event.at);
    if (event.type === 'opened') opened.set(event.incidentId, Date.parse(event.incident.openedAt));
    if (event.type === 'resolved') ended.set(event.incidentId, at);
    else if (event.type === 'merged') ended.set(event.mergedIncidentId, at);
    else if (event.incident.status === 'open') ended.set(event.incidentId, undefined);
  }
  return [...opened].map(([id, from]) => {
    const end = ended.get(id);
    return { id, age: (end ?? streamEnd) - from, open: end === undefined };
  });
}

async function correlate(
  name: string,
  stream: LifecycleStream,
  embed: (texts: string[]) => Promise<Float32Array[]>,
  config: Partial<CorrelationConfig>,
  expire: boolean,
): Promise<Run> {
  const alerts: Alert[] = stream.alerts.map((a) => a.alert);
  const truth = stream.alerts.map((a) => a.truth);
  const started = performance.now();
  const { events, incidentOf } = await correlateAlerts(alerts, {
    embed,
    topology: stream.topology,
    config,
    expire,
    expireUntil: stream.end,
    onProgress: (done, total) => {
      if (done === total || done % 4096 === 0) process.stderr.write(`${name}: ${done}/${total}\n`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const groups = incidentOf.map((id, i) => id || `unassigned:${i}`);
  const sizes = new Map<string, number>();
  for (const id of groups) sizes.set(id, (sizes.get(id) ?? 0) + 1);
  const ages = lifetimes(events, stream.end);
  const oldest = ages.reduce((a, b) => (b.age > a.age ? b : a), { id: '', age: 0 });
  const endedBy: Record<string, number> = {};
  for (const e of events) {
    if (e.type === 'resolved')
      endedBy[e.reason ?? 'resolved'] = (endedBy[e.reason ?? 'resolved'] ?? 0) + 1;
  }
  return {
    name,
    metrics: evaluateGrouping(truth, groups),
    maxAgeHours: oldest.age / HOUR,
    oldestIncident: oldest.id,
    largestIncidentAlerts: Math.max(0, ...sizes.values()),
    openAtEnd: ages.filter((a) => a.open).length,
    endedBy,
    flappingMarks: events.filter(
      (e) => (e.type === 'alert-attached' || e.type === 'opened') && e.alert?.flapping,
    ).length,
    seconds,
  };
}

function describe(run: Run, maxAgeHours: number): string[] {
  const m = run.metrics;
  const off = (m.predictedIncidents - m.trueIncidents) / m.trueIncidents;
  const ended = Object.entries(run.endedBy)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  return [
    `${run.name}  (correlated in ${run.seconds.toFixed(1)} s)`,
    `  incidents found ${m.predictedIncidents} vs truth ${m.trueIncidents} (${off >= 0 ? '+' : ''}${(off * 100).toFixed(1)}%)`,
    `  oldest incident ${run.maxAgeHours.toFixed(1)} h (maximum age ${maxAgeHours} h); largest ${run.largestIncidentAlerts} alerts; still open at the end ${run.openAtEnd}`,
    `  pairwise P ${m.precision.toFixed(3)}  R ${m.recall.toFixed(3)}  F1 ${m.f1.toFixed(3)}; ARI ${m.ari.toFixed(3)}; macro purity ${m.macroPurity.toFixed(3)}, recall ${m.macroRecall.toFixed(3)}`,
    `  incidents resolved: ${ended || 'none'}; alerts marked flapping: ${run.flappingMarks}`,
  ];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const stream = generateLifecycleStream(args.seed);
  const model = await SentenceEmbedder.load();
  const cached = new CachedEmbedder(model, { embedText: 'normalized' });
  const embed = (texts: string[]) => cached.embed(texts);
  const lifecycle = await correlate(
    'vigil (expiry, maximum age, chronic rule)',
    stream,
    embed,
    { resolveTimeouts: RESOLVE_TIMEOUTS },
    true,
  );
  // As before these rules: nothing ends without a resolve, no maximum age, no chronic rule.
  const before = await correlate(
    'vigil without expiry, maximum age or chronic rule',
    stream,
    embed,
    { incidentMaxAgeMs: 1e15, chronicAfterMs: 1e15, flapTransitions: 1e9 },
    false,
  );
  await model.dispose();

  const maxAgeHours = defaultCorrelationConfig.incidentMaxAgeMs / HOUR;
  const days = (stream.end - stream.start) / (24 * HOUR);
  const truthCount = lifecycle.metrics.trueIncidents;
  console.log(
    `Lifecycle replay: ${days} days, ${stream.alerts.length} alerts, ${stream.series} alert series of which ` +
      `${((stream.unresolved / stream.series) * 100).toFixed(0)}% never resolve, ${truthCount} true incidents ` +
      `(${stream.background.length} of them chronic or flapping background alerts), seed "${stream.seed}"`,
  );
  console.log(
    `resolve timeouts: 5 min by default; ${RESOLVE_TIMEOUTS.map((r) => `${r.match['source']} ${r.timeoutMs / MIN} min`).join(', ')}\n`,
  );
  for (const run of [lifecycle, before]) console.log(describe(run, maxAgeHours).join('\n') + '\n');

  const m = lifecycle.metrics;
  const off = Math.abs(m.predictedIncidents - m.trueIncidents) / m.trueIncidents;
  const checks = [
    [
      off <= COUNT_TOLERANCE,
      `incident count within ±${COUNT_TOLERANCE * 100}% of the truth (${(off * 100).toFixed(1)}% off)`,
    ],
    [
      lifecycle.maxAgeHours <= maxAgeHours,
      `no incident outlives its maximum age (oldest ${lifecycle.maxAgeHours.toFixed(1)} h <= ${maxAgeHours} h)`,
    ],
  ] as const;
  for (const [ok, text] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);

  mkdirSync(dirname(args.json), { recursive: true });
  const summary = (run: Run) => ({
    incidentsFound: run.metrics.predictedIncidents,
    trueIncidents: run.metrics.trueIncidents,
    maxIncidentAgeHours: Math.round(run.maxAgeHours * 100) / 100,
    largestIncidentAlerts: run.largestIncidentAlerts,
    openAtEnd: run.openAtEnd,
    resolvedBy: run.endedBy,
    flappingMarks: run.flappingMarks,
    metrics: run.metrics,
  });
  writeFileSync(
    args.json,
    JSON.stringify(
      {
        seed: stream.seed,
        days,
        alerts: stream.alerts.length,
        series: stream.series,
        unresolvedSeries: stream.unresolved,
        maxAgeHours,
        resolveTimeouts: RESOLVE_TIMEOUTS,
        lifecycle: summary(lifecycle),
        withoutLifecycle: summary(before),
      },
      null,
      2,
    ) + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
