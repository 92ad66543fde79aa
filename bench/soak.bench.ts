/**
 * Memory under steady load: the closed loop (every Vigil service as its own process, the demo
 * shop with traffic) takes a steady stream of alerts for N minutes; each service's RSS is printed
 * every minute and the growth after minute 10 written to bench/results/soak.json.
 * Runs on a Kafka and Neo4j of its own (instance soakbench, ports 39092 / 37687), emptied first.
 *   npm run bench:soak -- --minutes 60 [--alerts-per-s 20] [--rps 5] [--estate-minutes 10]
 *     [--retention short|default] [--keep-infra]
 * The storms' services repeat every `--estate-minutes` (a steady estate, as in production: new
 * alerts and incidents on the same services); 0 brings services never seen before every minute.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceAllocatorEnv } from '@vigil/config';
import { parsePolicy } from '@vigil/guardrails';
import { GraphTestScope } from '@vigil/graph';
import { createKafka } from '@vigil/messaging';
import { stopOnSignal } from '../test/support/stop-on-signal';
import { sendStorm, stormAlerts } from './faults/alert-storm';
import { startLoop } from './faults/loop-setup';
import { OwnInfra } from './faults/own-infra';
import { heapFigures, type HeapFigures } from './soak/heap-spaces';
import { ingestCounters, type IngestMinute, IngestTraffic } from './soak/ingest-traffic';
import { GROWTH_WINDOW, growthAfter, type Growth, type SoakResults } from './soak/rss-series';
import { withWindowsAtMost } from './soak/short-policy';
import { processMemoryMiB } from './support/process-memory';

const root = join(__dirname, '..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
/**
 * Where Vigil's build is (dist/ under it): the checkout by default; `--build-root DIR` runs
 * another build (e.g. one of the last commit, away from work in progress).
 */
const buildRoot = () => {
  const i = process.argv.indexOf('--build-root');
  return i >= 0 ? (process.argv[i + 1] ?? root) : root;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `--retention short` (the default) bounds every store a service bounds by age or count to a few
 * minutes of this load. With the shipped settings they fill for hours (rca's hour of evidence, the
 * correlator's six hours of resolved incidents, the console's 5,000 incidents, the planner's half
 * hour of ended incidents, the executor's day of plans), so the growth after minute 10 of an
 * hour's soak would be their filling, not a leak. Full by minute 10, what still grows after it is
 * what nothing bounds. `--retention default` runs the shipped settings.
 */
const shortRetention: Record<string, Record<string, string>> = {
  correlator: { CORRELATION_RETENTION_MS: '240000' },
  rca: { RCA_MAX_AGE_MS: '240000', RCA_HISTORY_MS: '240000' },
  planner: {
    PLANNER_ENDED_RETAIN_MS: '240000',
    PLANNER_IDLE_MS: '480000',
    PLANNER_MAX_INCIDENTS: '200',
  },
  executor: { EXECUTOR_PLAN_RETAIN_MS: '240000' },
  console: { CONSOLE_BOARD_MAX_INCIDENTS: '200' },
};

/** The executor keeps ended plans as long as its policy's longest window, whatever it is told. */
const shortPolicyWindowS = 240;

/** The demo policy with windows of at most `shortPolicyWindowS`, in a file of its own. */
function shortPolicyFile(): string {
  const demo = parsePolicy(
    JSON.parse(readFileSync(join(root, 'infra', 'demo', 'guardrail-policy.json'), 'utf8')),
  );
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-soak-')), 'guardrail-policy.json');
  writeFileSync(file, JSON.stringify(withWindowsAtMost(demo, shortPolicyWindowS), null, 2));
  return file;
}

function retentionArg(): 'short' | 'default' {
  const i = process.argv.indexOf('--retention');
  const value = i >= 0 ? process.argv[i + 1] : 'short';
  if (value !== 'short' && value !== 'default')
    throw new Error(`--retention takes short or default, not ${value}`);
  return value;
}

/** A service's /metrics text; rejects when it does not answer in 2 s. */
async function metricsOf(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    signal: AbortSignal.timeout(2_000),
  });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

/** One minute of ingest's traffic in a few words: accepted, refused, most held for Kafka. */
function ingestSaid(minute: IngestMinute): string {
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const refused = Object.entries(minute.rejected).map(([reason, n]) => `${n} ${reason}`);
  return `+${sum(minute.accepted)} alerts, held <= ${minute.maxInFlight}${refused.length > 0 ? `, refused ${refused.join(', ')}` : ''}`;
}

async function main(): Promise<void> {
  const minutes = arg('minutes', 60);
  const alertsPerS = arg('alerts-per-s', 20);
  const rps = arg('rps', 5);
  const baseMinute = arg('base-minute', 10);
  const estateMinutes = arg('estate-minutes', 10);
  const retention = retentionArg();
  const runId = randomUUID().slice(0, 6);
  // an instance of its own: a soak may run beside bench:faults, which restarts its broker
  const infra = new OwnInfra(root, 'soakbench', { kafka: 39092, controller: 39093, bolt: 37687 });
  // an empty broker and graph: the services rebuild their state from the topics at start, and an
  // earlier soak's records would be part of what they hold
  await infra.wipe();
  await infra.up();
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.NEO4J_URI = infra.neo4jUri;
  const kafka = createKafka({ brokers: [infra.kafkaBrokers], clientId: `soak-${runId}` });
  const graph = new GraphTestScope(`sk${runId}-`);
  const loop = await startLoop(kafka, graph, {
    runId: `sk${runId}`,
    root: buildRoot(),
    portBase: arg('port-base', 3970),
    shopPortOffset: arg('shop-port-offset', 3200),
    kafkaBrokers: infra.kafkaBrokers,
    neo4jUri: infra.neo4jUri,
    rps,
    serviceEnv:
      retention === 'short'
        ? {
            ...shortRetention,
            executor: { ...shortRetention['executor'], EXECUTOR_POLICY_FILE: shortPolicyFile() },
          }
        : undefined,
  });
  stopOnSignal(async () => {
    await loop.stop();
    if (!process.argv.includes('--keep-infra')) await infra.down();
  }, 'stopping the services ...');
  const series: SoakResults['series'] = [];
  let stopped = false;
  // one storm a minute, each with its own alerts: new incidents open and old ones resolve, so
  // what grows with each incident shows
  const load = (async () => {
    for (let m = 0; !stopped; m++) {
      const perGroup = 5;
      const repeats = 3;
      const groups = Math.max(1, Math.round((alertsPerS * 60) / (perGroup * repeats)));
      const alerts = stormAlerts(
        {
          prefix: `sk${runId}m${m}-`,
          ...(estateMinutes > 0 && { servicePrefix: `sk${runId}e${m % estateMinutes}-` }),
          groups,
          perGroup,
          repeats,
          seconds: 60,
        },
        Date.now(),
      );
      await sendStorm(loop.ingestUrl, loop.ingestToken, alerts, 30_000);
    }
  })();
  // ingest's traffic between the minutes' samples: a rise in its memory read beside what it took
  // and held (every 2 s, so a minute's peak of alerts waiting for Kafka is not missed)
  const traffic = new IngestTraffic();
  const ingestPort = loop.services.service('ingest').port;
  // a poll ingest does not answer is skipped: read as zeros, the next minute's rise would be
  // every alert since the start
  const pollIngest = () =>
    metricsOf(ingestPort).then(
      (text) => traffic.poll(ingestCounters(text)),
      () => undefined,
    );
  const poller = setInterval(() => void pollIngest(), 2_000);
  const results = (): SoakResults => ({
    date: new Date().toISOString().slice(0, 10),
    minutes,
    alertsPerS,
    shopRps: rps,
    estateMinutes,
    retention,
    ...(retention === 'short' && {
      retentionSettings: shortRetention,
      policyWindowsAtMostS: shortPolicyWindowS,
    }),
    allocators: allocatorsOf(Object.keys(series[0]?.rss ?? {})),
    series,
    growth: growthAfter(series, baseMinute),
    anonGrowth: growthAfter(series, baseMinute, 'anon'),
    youngGrowth: growthAfter(series, baseMinute, 'young'),
    heapGrowth: growthAfter(series, baseMinute, 'heapTotal'),
    baseMinute,
    growthWindow: GROWTH_WINDOW,
  });
  try {
    for (let minute = 0; minute <= minutes; minute++) {
      if (minute > 0) await sleep(60_000);
      const rss: Record<string, number> = {};
      const anon: Record<string, number> = {};
      const heap: Record<keyof HeapFigures, Record<string, number>> = {
        young: {},
        heapTotal: {},
        heapUsed: {},
        external: {},
      };
      for (const name of loop.services.names) {
        const pid = loop.services.pid(name);
        if (pid === undefined) continue;
        const memory = processMemoryMiB(pid);
        rss[name] = memory.rss;
        anon[name] = memory.anon;
        // one read of each service's /metrics: its heap, and for ingest the minute's last poll
        const text = await metricsOf(loop.services.service(name).port).catch(() => undefined);
        if (text === undefined) continue;
        for (const [measure, mib] of Object.entries(heapFigures(text)))
          heap[measure as keyof HeapFigures][name] = mib;
        if (name === 'ingest') traffic.poll(ingestCounters(text));
      }
      const ingest = traffic.minute();
      series.push({ minute, rss, anon, ...heap, ingest });
      process.stdout.write(
        `minute ${String(minute).padStart(3)}  ${Object.entries(rss)
          .map(([n, r]) => `${n} ${r}`)
          .join('  ')}  | ingest ${ingestSaid(ingest)}\n`,
      );
      writeFileSync(
        join(root, 'bench', 'results', 'soak.json'),
        `${JSON.stringify(results(), null, 2)}\n`,
      );
    }
  } finally {
    clearInterval(poller);
    stopped = true;
    await load.catch(() => undefined);
    await loop.stop();
    await graph.close().catch(() => undefined);
    if (!process.argv.includes('--keep-infra')) await infra.down();
  }
  const { growth, anonGrowth, heapGrowth } = results();
  const said = (g: Growth | undefined) =>
    g
      ? `${g.fromMiB} -> ${g.toMiB} MiB (${g.percent > 0 ? '+' : ''}${g.percent}%)`
      : 'too short to say';
  process.stdout.write(
    `\nRSS growth after minute ${baseMinute} (medians of ${GROWTH_WINDOW} samples at each end), of its anonymous part, and of` +
      ` the V8 heap in it:\n`,
  );
  for (const [name, g] of Object.entries(growth))
    process.stdout.write(
      `  ${name.padEnd(14)} ${said(g).padEnd(30)} ${said(anonGrowth?.[name]).padEnd(30)} ` +
        `${said(heapGrowth?.[name])}\n`,
    );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:soak: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);

/** The services that ran with an allocator setting of their own, as the bench started them. */
function allocatorsOf(services: readonly string[]): Record<string, Record<string, string>> {
  return Object.fromEntries(
    services
      .map((service) => [service, serviceAllocatorEnv(service)] as const)
      .filter(([, env]) => Object.keys(env).length > 0),
  );
}
