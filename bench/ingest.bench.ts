// Throughput of the alert path through real Kafka on this machine: HTTP ingest -> vigil.alerts.raw.v1
// -> correlator (router + clusterer with MiniLM) -> vigil.incidents.v1.
//   npm run bench:ingest -- [--rate 2500] [--seconds 30] [--new-share 0.1] [--secure]
// --secure: over TLS + SCRAM-SHA-512 with ACLs, on a secured Kafka of its own (ingest and the
// correlator each as their own principal; docs/kafka-security.md).
// Prints sustained alerts/s, p50/p99 latency from POST to incident event, embeddings/s with the
// cache off, and memory. Starts Kafka/Neo4j with the local launcher unless KAFKA_BROKERS/NEO4J_URI are set.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { decodeEvent, Topics } from '@vigil/contracts';
import { SentenceEmbedder } from '@vigil/embeddings';
import { GraphTestScope, type TopologyRepository } from '@vigil/graph';
import { createKafka, kafkaEnvSchema, kafkaSettingsFromEnv } from '@vigil/messaging';
import { SecuredKafka } from '../test/security/secured-kafka';
import { startService, type ServiceProcess } from '../test/support/service-process';
import { waitForGroupStable } from '../test/support/kafka-test-kit';
import { ensureInfra } from './support/local-infra';
import { percentile, processMemoryMiB } from './support/process-memory';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const rate = argument('rate', 2500);
const seconds = argument('seconds', 30);
const newShare = argument('new-share', 0.1);
const runId = randomUUID().slice(0, 8);
const secured = process.argv.includes('--secure') ? new SecuredKafka() : undefined;
/** The Kafka variables of a service running as `user`: none on the plaintext broker. */
const kafkaEnv = (user: string) => secured?.clientEnv(user) ?? {};
// the correlator's principal may use only groups named vigil-correlator...
const group = `vigil-correlator-bench-${runId}`;
const token = `bench-token-${runId}-${runId}`;
const ingestPort = 3911;
const correlatorPort = 3912;
const prefix = `b${runId}-`;
const services = Array.from({ length: 30 }, (_, i) => `${prefix}svc-${i}`);
const templates = [
  ['HighErrorRate', 'error', '5xx ratio above {n}% on {svc}'],
  ['HighLatency', 'warning', 'p99 latency {n}ms above objective on {svc}'],
  ['PodCrashLooping', 'critical', 'pod {svc}-{n} restarted {n} times in 10 minutes'],
  ['DiskAlmostFull', 'warning', 'filesystem /var on {svc} is {n}% full'],
  ['MemoryPressure', 'warning', 'container memory working set at {n}% of limit on {svc}'],
] as const;

async function importTopology(repository: TopologyRepository): Promise<void> {
  const at = Date.now();
  for (const id of services)
    await repository.upsertEntity({ id, kind: 'service', properties: {} }, at);
  for (let i = 1; i < services.length; i++) {
    await repository.upsertEdge(
      { type: 'CALLS', from: services[Math.floor((i - 1) / 3)], to: services[i] },
      at,
    );
  }
}

/** Alert number `i`: mostly repeats of a few hundred firing alerts, `newShare` of them new ones. */
function makeAlert(i: number, fresh: boolean) {
  const identity = fresh ? 1000 + i : i % 300;
  const [name, severity, text] = templates[identity % templates.length];
  const svc = services[identity % services.length];
  const summary = text.replace('{svc}', svc).replaceAll('{n}', String(50 + (i % 40)));
  return {
    alertname: name,
    severity,
    service: svc,
    summary,
    fingerprint: `b${runId}-${identity}`,
    labels: { cluster: `bench-${runId}-${identity % 4}`, instance: `${svc}-${identity % 7}` },
  };
}

async function main(): Promise<void> {
  ensureInfra();
  await secured?.start();
  const graph = new GraphTestScope(prefix);
  await importTopology(graph.topology);
  const kafka = createKafka(
    secured
      ? kafkaSettingsFromEnv(kafkaEnvSchema.parse(secured.clientEnv('admin')), 'bench')
      : { brokers: (process.env.KAFKA_BROKERS ?? '').split(','), clientId: 'vigil-bench' },
  );
  const common = { LOG_LEVEL: 'warn' };
  const correlator: ServiceProcess = await startService(
    'correlator',
    {
      ...common,
      ...kafkaEnv('correlator'),
      CORRELATOR_PORT: String(correlatorPort),
      CORRELATOR_GROUP: group,
      CORRELATOR_START_AT: 'latest',
    },
    correlatorPort,
  );
  started.push(correlator);
  const ingest: ServiceProcess = await startService(
    'ingest',
    { ...common, ...kafkaEnv('ingest'), INGEST_PORT: String(ingestPort), INGEST_TOKENS: token },
    ingestPort,
  );
  started.push(ingest);
  await waitForGroupStable(kafka, group);
  await waitForGroupStable(kafka, `${group}-router`);

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  /** [seconds into the run when posted, latency]: shows whether slowness is a moment or a trend. */
  const timeline: Array<[number, number]> = [];
  let runStart = Date.now();
  const listener = kafka.consumer({ groupId: `vigil-bench-listener-${runId}` });
  await listener.connect();
  await listener.subscribe({ topic: Topics.incidents.name, fromBeginning: false });
  await listener.run({
    eachMessage: async ({ message }) => {
      const decoded = decodeEvent(Topics.incidents, message.value);
      if (!decoded.ok || !('fingerprint' in decoded.value)) return;
      const started = sentAt.get(decoded.value.fingerprint);
      if (started !== undefined) {
        // The event's CreateTime, stamped by the correlator when it published: this process's own
        // consumer lag (it is busy generating load) does not count.
        latencies.push(Number(message.timestamp) - started);
        timeline.push([(started - runStart) / 1000, Number(message.timestamp) - started]);
        sentAt.delete(decoded.value.fingerprint);
      }
    },
  });
  await waitForGroupStable(kafka, `vigil-bench-listener-${runId}`);

  process.stderr.write(
    `sending ${rate} alerts/s for ${seconds} s (${(newShare * 100).toFixed(0)}% new alerts)\n`,
  );
  const total = rate * seconds;
  const perTick = Math.max(1, Math.round(rate / 20));
  const start = performance.now();
  runStart = Date.now();
  let sent = 0;
  let rejected = 0;
  const inFlight = new Set<Promise<void>>();
  for (let tick = 0; sent < total; tick++) {
    const due = start + tick * 50;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const batch = Array.from({ length: Math.min(perTick, total - sent) }, (_, k) => {
      const i = sent + k;
      return makeAlert(i, i % Math.round(1 / newShare) === 0);
    });
    sent += batch.length;
    const postedAt = Date.now();
    for (const alert of batch)
      if (Number(alert.fingerprint.split('-').pop()) >= 1000)
        sentAt.set(alert.fingerprint, postedAt);
    const request = fetch(`http://127.0.0.1:${ingestPort}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(batch),
    }).then(async (response) => {
      if (response.status !== 202) rejected += batch.length;
      await response.arrayBuffer();
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
    if (tick % 20 === 0) process.stderr.write(`\rsent ${sent}/${total}`);
  }
  await Promise.all(inFlight);
  const sendSeconds = (performance.now() - start) / 1000;
  process.stderr.write(
    `\nall sent in ${sendSeconds.toFixed(1)} s; waiting for the correlator to catch up\n`,
  );

  const expected = Math.round(total * newShare);
  const deadline = performance.now() + 180_000;
  while (latencies.length < expected - rejected && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  const endToEndSeconds = (performance.now() - start) / 1000;
  for (const [name, service] of [
    ['ingest', ingest],
    ['correlator', correlator],
  ] as const) {
    if (service.child.exitCode !== null)
      throw new Error(`${name} died during the run:\n${service.output.join('').slice(-3000)}`);
  }
  const memory = {
    ingest: processMemoryMiB(ingest.child.pid ?? 0),
    correlator: processMemoryMiB(correlator.child.pid ?? 0),
  };

  const metrics = await (await fetch(`http://127.0.0.1:${correlatorPort}/metrics`)).text();
  if (process.argv.includes('--verbose')) {
    console.log(
      metrics
        .split('\n')
        .filter(
          (l) =>
            l.startsWith('vigil_message_handler_seconds') ||
            l.startsWith('vigil_nodejs_gc_duration_seconds_sum') ||
            l.startsWith('vigil_nodejs_eventloop_lag_p99'),
        )
        .join('\n'),
    );
  }
  await listener.disconnect();
  await ingest.stop();
  await correlator.stop();
  await secured?.stop();
  // the run's topology goes again; whatever else is in Neo4j stays
  await graph.close();

  const embedder = await SentenceEmbedder.load();
  const distinct = Array.from(
    { length: 512 },
    (_, i) =>
      `${templates[i % 5][2].replace('{svc}', `service-${i}`).replaceAll('{n}', String(i))} variant ${i}`,
  );
  const embedStart = performance.now();
  await embedder.embed(distinct);
  const embeddingsPerSecond = distinct.length / ((performance.now() - embedStart) / 1000);

  const sorted = [...latencies].sort((a, b) => a - b);
  const report = [
    ['Kafka transport', secured ? 'TLS + SCRAM-SHA-512, ACLs' : 'plaintext'],
    ['target rate (alerts/s)', rate],
    ['alerts sent', total],
    ['alerts rejected by ingest (503/4xx)', rejected],
    ['sustained end-to-end rate (alerts/s)', Math.round(total / endToEndSeconds)],
    ['new alerts traced to an incident event', `${latencies.length}/${expected}`],
    ['latency POST -> incident event p50 (ms)', Math.round(percentile(sorted, 50))],
    ['latency POST -> incident event p99 (ms)', Math.round(percentile(sorted, 99))],
    ['latency max (ms)', Math.round(sorted[sorted.length - 1] ?? Number.NaN)],
    ['embeddings/s, cache off (batch 512)', Math.round(embeddingsPerSecond)],
    ['ingest RSS / peak (MiB)', `${memory.ingest.rss} / ${memory.ingest.peak}`],
    ['correlator RSS / peak (MiB)', `${memory.correlator.rss} / ${memory.correlator.peak}`],
  ];
  console.log('\nVigil alert path benchmark (real Kafka, 2 cores)');
  for (const [label, value] of report) console.log(`  ${String(label).padEnd(44)} ${value}`);
  console.log(
    `  p99 latency (ms) per 5 s of the run           ${windowedP99(timeline, 5).join(' ')}`,
  );
  process.exit(0);
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

const started: ServiceProcess[] = [];
process.on('exit', () => {
  for (const service of started) service.child.kill('SIGKILL');
  secured?.stopSync();
});
main().catch((error: unknown) => {
  console.error(error);
  // a service that died under the load says why
  for (const service of started)
    if (service.child.exitCode !== null) console.error(service.output.join('').slice(-3000));
  process.exit(1);
});
