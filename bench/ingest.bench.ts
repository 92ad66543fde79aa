// Throughput of the alert path through real Kafka on this machine: HTTP ingest -> vigil.alerts.raw.v1
// -> correlators (router + clusterer with MiniLM, N processes in one group) -> vigil.incidents.v1,
// over plaintext and over TLS + SCRAM-SHA-512, next to the real Alertmanager taking the same batches.
//   npm run bench:ingest -- [--rate 10500] [--seconds 20] [--warm-up 5] [--new-share 0.1]
//                           [--correlators 2] [--only plaintext,tls,accept] [--ladder 2000,6000]
//                           [--write] [--profile DIR] [--verbose]
// Each alert path run is preceded by --warm-up seconds at the same rate, with alerts of their own
// and not timed: what is measured is a running service (JIT-compiled, its caches of alert texts
// filled), not the first seconds of a process. 0 measures from a cold start.
// --ladder adds plaintext runs at lower offered rates: where the knee is, and whether the floor
// (2,000 alerts/s with p99 under 1 s) holds.
// Each transport runs on a Kafka of the bench's own (bench/ingest/private-kafka.ts); Neo4j comes from
// NEO4J_URI or the local launcher. --write puts the figures in bench/results/ingest.json.
// --profile DIR writes a CPU profile of ingest and of each correlator (read them with
// bench/ingest/profile-summary.ts) and the services' logs.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeEvent, Topics } from '@vigil/contracts';
import { GraphTestScope } from '@vigil/graph';
import { createKafka, kafkaEnvSchema, kafkaSettingsFromEnv } from '@vigil/messaging';
import { startProcess, type ServiceProcess } from '../test/support/service-process';
import { waitForGroupStable } from '../test/support/kafka-test-kit';
import { freePort } from './alertmanager/alertmanager-process';
import { startYardstickAlertmanager } from './ingest/alertmanager-accept';
import {
  AlertLoad,
  asAlertmanagerAlert,
  offerAtRate,
  offerFlatOut,
  type Post,
} from './ingest/alert-load';
import {
  type AcceptRow,
  type AlertPathRow,
  ingestFloor,
  ingestOffered,
  ingestTarget,
  type IngestResults,
  targetsMet,
} from './ingest/ingest-results';
import { PrivateKafka } from '../test/support/private-kafka';
import { ensureInfra } from './support/local-infra';
import { startArgs } from './startup-services';
import { percentile, processMemoryMiB } from './support/process-memory';
import { progress } from './support/progress';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
function textArgument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const rate = argument('rate', ingestOffered);
const seconds = argument('seconds', 20);
const warmUpSeconds = argument('warm-up', 5);
const newShare = argument('new-share', 0.1);
const correlatorCount = argument('correlators', 2);
// --secure alone: the TLS run only, as before
const only = (
  textArgument('only') ?? (process.argv.includes('--secure') ? 'tls' : 'plaintext,tls,accept')
).split(',');
const ladder = (textArgument('ladder') ?? '')
  .split(',')
  .filter((x) => x !== '')
  .map(Number);
if (ladder.some((x) => !(x > 0)))
  throw new Error('--ladder takes offered rates: --ladder 2000,6000');
const profileArg = textArgument('profile');
const profileDir = profileArg ? resolve(profileArg) : undefined;
const root = join(__dirname, '..');
const runId = randomUUID().slice(0, 8);
const token = `bench-token-${runId}-${runId}`;
const load = new AlertLoad(runId, newShare);
/** Same batches and concurrency for every receiver of the flat-out accept runs. */
const accept = { batchSize: Math.max(1, Math.round(rate / 20)), concurrency: 4, seconds: 10 };

/**
 * A Vigil app as its own process, compiled (`node dist/...`, as users run it; `npm run
 * bench:ingest` builds first), with three minutes to get ready: on a busy shared machine a
 * correlator loading MiniLM takes over one.
 */
function startService(
  app: string,
  env: Record<string, string>,
  healthPort: number,
): Promise<ServiceProcess> {
  return startProcess(
    app,
    startArgs(root, `apps/${app}/src/main.ts`, 'compiled'),
    env,
    `http://127.0.0.1:${healthPort}/healthz`,
    180_000,
  );
}

/** Processes to kill if the bench dies: nothing of a run outlives it. */
const started: ServiceProcess[] = [];
const brokers: PrivateKafka[] = [];

/** NODE_OPTIONS of a service that is profiled (bench/ingest/cpu-profile-preload.js). */
function profiled(name: string): Record<string, string> {
  if (!profileDir) return {};
  return {
    NODE_OPTIONS: `-r ${join(__dirname, 'ingest', 'cpu-profile-preload.js')}`,
    VIGIL_CPU_PROFILE_DIR: profileDir,
    VIGIL_CPU_PROFILE_NAME: name,
  };
}

/** User plus system CPU seconds of a process so far (Linux /proc, 100 ticks a second). */
function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const loadAverage = () => loadavg().map((x) => Number(x.toFixed(2)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sums a counter of a Prometheus text exposition over the series that match all of `labels`. */
function counterSum(metrics: string, name: string, labels: string[]): number {
  return metrics
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

interface Services {
  ingest: ServiceProcess;
  correlators: ServiceProcess[];
  ingestPort: number;
  correlatorPorts: number[];
}

async function startServices(kafka: PrivateKafka, group: string, tag: string): Promise<Services> {
  const common = { LOG_LEVEL: 'warn', NEO4J_URI: process.env.NEO4J_URI ?? '' };
  // free ports, so two runs on one machine (two engineers, say) do not collide
  const correlatorPorts: number[] = [];
  for (let i = 0; i < correlatorCount; i++) correlatorPorts.push(await freePort());
  // one after the other: each start loads MiniLM, and the group settles between them
  const correlators: ServiceProcess[] = [];
  for (const [i, port] of correlatorPorts.entries()) {
    const correlator = await startService(
      'correlator',
      {
        ...common,
        ...kafka.clientEnv('correlator'),
        ...profiled(`${tag}-correlator-${i + 1}`),
        CORRELATOR_PORT: String(port),
        CORRELATOR_GROUP: group,
        CORRELATOR_START_AT: 'latest',
      },
      port,
    );
    started.push(correlator);
    correlators.push(correlator);
  }
  const ingestPort = await freePort();
  const ingest = await startService(
    'ingest',
    {
      ...common,
      ...kafka.clientEnv('ingest'),
      ...profiled(`${tag}-ingest`),
      INGEST_PORT: String(ingestPort),
      INGEST_TOKENS: token,
    },
    ingestPort,
  );
  started.push(ingest);
  return { ingest, correlators, ingestPort, correlatorPorts };
}

/** Raw alerts the correlators' routers handled and sent to the DLQ so far, and scoped alerts clustered. */
async function correlatorCounts(
  ports: readonly number[],
): Promise<{ handled: number; dlq: number; clustered: number }> {
  const counts = { handled: 0, dlq: 0, clustered: 0 };
  for (const port of ports) {
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const consumed = (topic: string, outcome: string) =>
      counterSum(metrics, 'vigil_messages_consumed_total', [
        `topic="${topic}"`,
        `outcome="${outcome}"`,
      ]);
    counts.handled += consumed(Topics.alertsRaw.name, 'ok');
    counts.dlq += consumed(Topics.alertsRaw.name, 'dlq');
    counts.clustered += consumed(Topics.correlatorScopedAlerts.name, 'ok');
  }
  return counts;
}

/** Handler time, GC time and event-loop lag of each correlator (--verbose). */
async function printHandlerFigures(ports: readonly number[]): Promise<void> {
  const shown = [
    'vigil_message_handler_seconds_sum',
    'vigil_message_handler_seconds_count',
    'vigil_nodejs_gc_duration_seconds_sum',
    'vigil_nodejs_eventloop_lag_p99',
  ];
  for (const port of ports) {
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const lines = metrics.split('\n').filter((l) => shown.some((name) => l.startsWith(name)));
    console.log(lines.join('\n'));
  }
}

/**
 * The warm-up: `--warm-up` seconds at the measured rate, alerts of their own (their fingerprints
 * never match a timed one), then a wait until the correlators have routed and clustered every one
 * of them. Returns the counts it leaves on the correlators' counters.
 */
async function warmUp(
  target: Post,
  offered: number,
  ports: readonly number[],
  transport: string,
): Promise<{ handled: number; dlq: number }> {
  if (warmUpSeconds <= 0) return { handled: 0, dlq: 0 };
  process.stderr.write(
    `${transport}: warming up with ${offered} alerts/s for ${warmUpSeconds} s (not measured)\n`,
  );
  const warm = await offerAtRate(target, offered, warmUpSeconds, (from, count) =>
    load.batch(from, count, 'warm'),
  );
  const deadline = performance.now() + 180_000;
  for (;;) {
    const counts = await correlatorCounts(ports);
    const done = counts.handled + counts.dlq >= warm.accepted && counts.clustered >= counts.handled;
    if (done) return counts;
    if (performance.now() > deadline) {
      process.stderr.write(
        `${transport}: the correlators had not caught up with the warm-up in 3 minutes; timing anyway\n`,
      );
      return counts;
    }
    await sleep(500);
  }
}

/** One transport end to end: own broker, N correlators, ingest, a listener on the incident events. */
async function runAlertPath(secure: boolean, offered: number): Promise<AlertPathRow> {
  const transport = secure ? 'tls' : 'plaintext';
  const broker = new PrivateKafka(secure);
  brokers.push(broker);
  process.stderr.write(`${transport}: starting a Kafka of the bench's own\n`);
  await broker.start();
  const group = `vigil-correlator-bench-${runId}-${transport}`;
  const kafka = createKafka(
    kafkaSettingsFromEnv(kafkaEnvSchema.parse(broker.clientEnv('admin')), 'bench'),
  );
  const services = await startServices(broker, group, transport);
  await waitForGroupStable(kafka, group);
  await waitForGroupStable(kafka, `${group}-router`);

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  /** [seconds into the run when posted, latency]: shows whether slowness is a moment or a trend. */
  const timeline: Array<[number, number]> = [];
  let runStart = Date.now();
  const listenerGroup = `vigil-bench-listener-${runId}`;
  const listener = kafka.consumer({ groupId: listenerGroup });
  await listener.connect();
  await listener.subscribe({ topic: Topics.incidents.name, fromBeginning: false });
  await listener.run({
    eachMessage: async ({ message }) => {
      const decoded = decodeEvent(Topics.incidents, message.value);
      if (!decoded.ok || !('fingerprint' in decoded.value)) return;
      const postedAt = sentAt.get(decoded.value.fingerprint);
      if (postedAt === undefined) return;
      // The event's CreateTime, stamped by the correlator when it published: this process's own
      // consumer lag (it is busy generating load) does not count.
      latencies.push(Number(message.timestamp) - postedAt);
      timeline.push([(postedAt - runStart) / 1000, Number(message.timestamp) - postedAt]);
      sentAt.delete(decoded.value.fingerprint);
    },
  });
  await waitForGroupStable(kafka, listenerGroup);

  const target: Post = {
    url: `http://127.0.0.1:${services.ingestPort}/api/v1/alerts`,
    headers: { authorization: `Bearer ${token}` },
    acceptedStatus: 202,
  };
  const warmedUp = await warmUp(target, offered, services.correlatorPorts, transport);
  const processes: Record<string, ServiceProcess> = {
    ingest: services.ingest,
    ...Object.fromEntries(services.correlators.map((c, i) => [`correlator-${i + 1}`, c])),
  };
  const pids = Object.values(processes).map((p) => p.child.pid);
  const before = Object.fromEntries(
    Object.entries(processes).map(([name, p]) => [name, cpuSeconds(p.child.pid)]),
  );
  const loadAtStart = loadAverage();
  process.stderr.write(
    `${transport}: sending ${offered} alerts/s for ${seconds} s (${(newShare * 100).toFixed(0)}% new alerts), ${correlatorCount} correlators; load ${loadAtStart.join(' ')}\n`,
  );
  let refusedNew = 0;
  const start = performance.now();
  runStart = Date.now();
  const sent = await offerAtRate(
    target,
    offered,
    seconds,
    (from, count) => load.batch(from, count),
    (from, count, postedAt) => {
      for (let i = from; i < from + count; i++)
        if (load.isNew(i)) sentAt.set(load.alert(i).fingerprint, postedAt);
    },
    (from, count) => {
      // a refused request's alerts never reach the correlators: nothing to wait for
      for (let i = from; i < from + count; i++)
        if (load.isNew(i) && sentAt.delete(load.alert(i).fingerprint)) refusedNew++;
    },
    (n, total) => progress(`sent ${n}/${total}`),
  );
  process.stderr.write(
    `\nall sent in ${sent.seconds.toFixed(1)} s; waiting for the correlators to catch up\n`,
  );
  // the new alerts of the accepted requests
  const newAlerts = Math.round(sent.sent * newShare) - refusedNew;
  const deadline = performance.now() + 180_000;
  while (latencies.length < newAlerts && performance.now() < deadline) await sleep(200);
  const endToEndSeconds = (performance.now() - start) / 1000;
  const cpuS = Object.fromEntries(
    Object.entries(processes).map(([name, p]) => [
      name,
      Number((cpuSeconds(p.child.pid) - before[name]).toFixed(1)),
    ]),
  );
  for (const [name, service] of Object.entries(processes))
    if (service.child.exitCode !== null)
      throw new Error(`${name} died during the run:\n${service.output.join('').slice(-3000)}`);
  const rssMiB = Object.fromEntries(
    Object.entries(processes).map(([name, p]) => [name, processMemoryMiB(p.child.pid ?? 0).rss]),
  );
  // the routers settle their last batch's offsets after the incident events are out
  await sleep(2000);
  const counted = await correlatorCounts(services.correlatorPorts);
  const handled = counted.handled - warmedUp.handled;
  const dlq = counted.dlq - warmedUp.dlq;
  if (process.argv.includes('--verbose')) await printHandlerFigures(services.correlatorPorts);
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    for (const [name, p] of Object.entries(processes)) {
      p.child.kill('SIGWINCH');
      writeFileSync(join(profileDir, `${transport}-${name}.log`), p.output.join(''));
    }
    await sleep(3000);
  }
  await listener.disconnect();
  for (const p of Object.values(processes)) await p.stop();
  started.splice(0, started.length, ...started.filter((s) => !pids.includes(s.child.pid)));
  await broker.stop();

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    transport,
    kafka: secure ? 'TLS + SCRAM-SHA-512, ACLs' : 'plaintext',
    offeredPerS: offered,
    seconds,
    sent: sent.sent,
    accepted: sent.accepted,
    rejected: sent.rejected,
    acceptedPerS: Math.round(sent.accepted / sent.seconds),
    endToEndPerS: Math.round(sent.sent / endToEndSeconds),
    correlatorHandled: handled,
    correlatorDlq: dlq,
    newAlerts,
    traced: latencies.length,
    latencyMs: {
      p50: Math.round(percentile(sorted, 50)),
      p99: Math.round(percentile(sorted, 99)),
      max: Math.round(sorted[sorted.length - 1] ?? Number.NaN),
    },
    p99ByWindowMs: windowedP99(timeline, 5),
    warmUpS: warmUpSeconds,
    cpuS,
    rssMiB,
    loadAverage: loadAtStart,
  };
}

/** The real Alertmanager and Vigil's ingest (on plaintext Kafka), flat out on the same batches. */
async function runAccept(): Promise<AcceptRow[]> {
  const rows: AcceptRow[] = [];
  const alertmanager = await startYardstickAlertmanager();
  const row = async (
    receiver: string,
    target: Post,
    toBody: (from: number, n: number) => unknown[],
  ) => {
    await untilAccepting(target, toBody(0, 1));
    const loadAtStart = loadAverage();
    process.stderr.write(`accept: ${receiver} flat out for ${accept.seconds} s\n`);
    const outcome = await offerFlatOut(
      target,
      accept.batchSize,
      accept.concurrency,
      accept.seconds,
      toBody,
    );
    rows.push({
      receiver,
      ...accept,
      accepted: outcome.accepted,
      rejected: outcome.rejected,
      acceptedPerS: Math.round(outcome.accepted / outcome.seconds),
      requestP99Ms: Math.round(percentile(outcome.requestMs, 99)),
      loadAverage: loadAtStart,
    });
  };
  try {
    await row(
      'Alertmanager v0.35.0 (POST /api/v2/alerts, in memory)',
      { url: `${alertmanager.url}/api/v2/alerts`, headers: {}, acceptedStatus: 200 },
      (from, n) => load.batch(from, n, '-am').map(asAlertmanagerAlert),
    );
  } finally {
    await alertmanager.stop();
  }
  // Vigil's ingest answers only once Kafka has the alerts; the correlators are not running
  const broker = new PrivateKafka(false);
  brokers.push(broker);
  await broker.start();
  const ingestPort = await freePort();
  const ingest = await startService(
    'ingest',
    {
      LOG_LEVEL: 'warn',
      ...broker.clientEnv('ingest'),
      ...profiled('accept-ingest'),
      INGEST_PORT: String(ingestPort),
      INGEST_TOKENS: token,
    },
    ingestPort,
  );
  started.push(ingest);
  try {
    await row(
      'Vigil ingest (POST /api/v1/alerts, acknowledged by Kafka)',
      {
        url: `http://127.0.0.1:${ingestPort}/api/v1/alerts`,
        headers: { authorization: `Bearer ${token}` },
        acceptedStatus: 202,
      },
      (from, n) => load.batch(from, n, '-flat'),
    );
  } finally {
    if (profileDir) {
      ingest.child.kill('SIGWINCH');
      await sleep(2000);
    }
    await ingest.stop();
    await broker.stop();
  }
  return rows;
}

/** Until one small request is taken: a broker's fresh topics have no leader for a few seconds. */
async function untilAccepting(target: Post, alerts: unknown[]): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(500)) {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body: JSON.stringify(alerts),
    }).catch(() => undefined);
    await response?.arrayBuffer();
    if (response?.status === target.acceptedStatus) return;
  }
  throw new Error(`${target.url} takes no alerts`);
}

function windowedP99(points: Array<[number, number]>, windowSeconds: number): number[] {
  const windows: number[][] = [];
  for (const [at, latency] of points)
    (windows[Math.floor(at / windowSeconds)] ??= []).push(latency);
  return [...windows].map((w) =>
    Math.round(
      percentile(
        [...(w ?? [])].sort((a, b) => a - b),
        99,
      ),
    ),
  );
}

function printAlertPath(row: AlertPathRow): void {
  const lines: Array<[string, string | number]> = [
    ['Kafka transport', row.kafka],
    ['offered (alerts/s) for (s)', `${row.offeredPerS} for ${row.seconds}`],
    ['alerts sent / accepted (202) / rejected', `${row.sent} / ${row.accepted} / ${row.rejected}`],
    ['accepted rate (alerts/s)', row.acceptedPerS],
    ['sustained end-to-end rate (alerts/s)', row.endToEndPerS],
    [
      'raw alerts handled by the correlators / DLQ',
      `${row.correlatorHandled} / ${row.correlatorDlq}`,
    ],
    ['new alerts traced to an incident event', `${row.traced}/${row.newAlerts}`],
    [
      'latency POST -> incident event p50 / p99 / max (ms)',
      `${row.latencyMs.p50} / ${row.latencyMs.p99} / ${row.latencyMs.max}`,
    ],
    ['p99 (ms) per 5 s of the run', row.p99ByWindowMs.join(' ')],
    [
      'CPU seconds during the run',
      Object.entries(row.cpuS)
        .map(([n, s]) => `${n} ${s}`)
        .join(', '),
    ],
    [
      'RSS (MiB)',
      Object.entries(row.rssMiB)
        .map(([n, m]) => `${n} ${m}`)
        .join(', '),
    ],
    ['load average at start', row.loadAverage.join(' ')],
  ];
  console.log(`\nVigil alert path, ${row.transport} (${cpus().length} cores)`);
  for (const [label, value] of lines) console.log(`  ${label.padEnd(52)} ${value}`);
}

function printAccept(rows: AcceptRow[]): void {
  if (rows.length === 0) return;
  console.log(
    `\nTaking alerts in flat out: batches of ${accept.batchSize}, ${accept.concurrency} requests in flight, ${accept.seconds} s each`,
  );
  for (const r of rows)
    console.log(
      `  ${r.receiver.padEnd(60)} ${String(r.acceptedPerS).padStart(7)} alerts/s  (request p99 ${r.requestP99Ms} ms, ${r.rejected} rejected)`,
    );
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  ensureInfra();
  const graph = new GraphTestScope(`b${runId}-`);
  await load.importTopology(graph.topology);
  const alertPath: AlertPathRow[] = [];
  try {
    if (only.includes('plaintext')) alertPath.push(await runAlertPath(false, rate));
    if (only.includes('tls')) alertPath.push(await runAlertPath(true, rate));
    for (const lower of ladder) alertPath.push(await runAlertPath(false, lower));
  } finally {
    // the run's topology goes again; whatever else is in Neo4j stays
    await graph.close();
  }
  const acceptRows = only.includes('accept') ? await runAccept() : [];
  for (const row of alertPath) printAlertPath(row);
  printAccept(acceptRows);
  const met = targetsMet(alertPath);
  console.log(
    `floor (${ingestFloor.perS} alerts/s, every new alert traced, p99 < ${ingestFloor.p99Ms} ms, plaintext): ${met.floor ? 'met' : 'not met'}`,
  );
  const plain = alertPath.find((r) => r.transport === 'plaintext');
  const tls = alertPath.find((r) => r.transport === 'tls');
  if (plain && tls)
    console.log(
      `\nTLS + SCRAM end to end: ${Math.round((100 * tls.endToEndPerS) / plain.endToEndPerS)}% of plaintext (target at least ${100 - 100 * ingestTarget.tlsWithinShare}%)`,
    );
  console.log(
    `targets (${ingestTarget.perS} alerts/s end to end, every alert accepted and every new one traced, p99 < ${ingestTarget.p99Ms} ms): plaintext ${met.plaintext ? 'met' : 'not met'}, TLS ${met.tls ? 'met' : 'not met'}, TLS within 20%: ${met.tlsWithin ? 'yes' : 'no'}`,
  );
  if (process.argv.includes('--write')) {
    const results: IngestResults = {
      date: new Date().toISOString(),
      commit: commit(),
      node: process.version,
      cpus: cpus().length,
      correlators: correlatorCount,
      newShare,
      target: ingestTarget,
      floor: ingestFloor,
      alertPath,
      accept: acceptRows,
      met,
    };
    const file = join(__dirname, 'results', 'ingest.json');
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${file}`);
  }
  process.exit(0);
}

process.on('exit', () => {
  for (const service of started) service.child.kill('SIGKILL');
  for (const broker of brokers) broker.stopSync();
});
main().catch((error: unknown) => {
  console.error(error);
  // a service that died under the load says why
  for (const service of started)
    if (service.child.exitCode !== null) console.error(service.output.join('').slice(-3000));
  process.exit(1);
});
