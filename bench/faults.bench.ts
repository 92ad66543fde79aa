/**
 * Nothing lost, nothing doubled: the closed loop (every Vigil service as its own process, the demo
 * shop with a fault in it) takes an alert storm with known ground truth while, in turn, each
 * service is killed with SIGKILL mid-work and restarted, the broker restarts, Neo4j stops and the
 * model gateway stops. Each trial's incidents are compared with those uninterrupted offline
 * correlators make of the live correlator's own input, and (reported beside) with one over the
 * alerts in ingest's order (bench/faults/offline-expectation.ts).
 * Runs on a Kafka and Neo4j of its own (ports 29092 / 27687), which it starts and stops.
 *   npm run bench:faults -- [--only kill,broker,neo4j,gateway] [--services ingest,rca]
 *     [--outage-s 60] [--storm-s 60] [--fault-at-s 25] [--rps 5] [--keep-infra] [--note TEXT]
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { decodeEvent, Topics } from '@vigil/contracts';
import { scenario, type FaultKind } from '@vigil/demo-shop';
import { clearFaults, injectFault, restoreRelease } from '@vigil/demo-shop-client';
import { GraphTestScope } from '@vigil/graph';
import { createKafka } from '@vigil/messaging';
import { openIncidents } from '../test/support/closed-loop';
import { stopOnSignal } from '../test/support/stop-on-signal';
import { sendStorm, stormAlerts, type StormOptions } from './faults/alert-storm';
import {
  compareGrouping,
  dlqInWindow,
  duplicatePlans,
  groupingDifferences,
  groupingOf,
  ledgerDuplicates,
  stepsAppliedTwice,
} from './faults/fault-counts';
import { groupLags, readOutcome } from './faults/kafka-reads';
import { retried, startLoop, type Loop } from './faults/loop-setup';
import { OfflineExpectation } from './faults/offline-expectation';
import { OwnInfra } from './faults/own-infra';
import { childPids, alive } from './faults/process-tree';
import type { FaultsResults, FaultTrial } from './faults/faults-results';

const root = join(__dirname, '..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const num = (name: string, fallback: number) => Number(arg(name, String(fallback)));
/**
 * Where Vigil's build is (dist/ under it): the checkout by default; `--build-root DIR` runs
 * another build (e.g. one of the last commit, away from work in progress).
 */
const buildRoot = () => {
  const i = process.argv.indexOf('--build-root');
  return i >= 0 ? (process.argv[i + 1] ?? root) : root;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) =>
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

type FaultKindName = 'none' | 'kill' | 'broker' | 'neo4j' | 'gateway';
interface Fault {
  kind: FaultKindName;
  target: string;
}

/** The shop faults the trials take turns with: each heals with one plan of a few steps. */
const shopFaults: Array<[FaultKind, string]> = [
  ['crash', 'payment'],
  ['error-rate', 'cart'],
  ['bad-deploy', 'checkout'],
  ['latency', 'catalog'],
];

/** Every incident event's fingerprint, with when it was first seen: follows the topic live. */
class IncidentWatch {
  readonly seen = new Map<string, number>();
  private consumer?: ReturnType<Kafka['consumer']>;

  async start(kafka: Kafka): Promise<void> {
    this.consumer = kafka.consumer({ groupId: `fb-watch-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: Topics.incidents.name, fromBeginning: false });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const d = decodeEvent(Topics.incidents, message.value);
        if (d.ok && 'fingerprint' in d.value && !this.seen.has(d.value.fingerprint))
          this.seen.set(d.value.fingerprint, Date.now());
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

class FaultBench {
  private ledgerDupsBefore = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly infra: OwnInfra,
    private readonly loop: Loop,
    private readonly watch: IncidentWatch,
    private readonly storm: Omit<StormOptions, 'prefix'>,
    private readonly runPrefix: string,
    private readonly expectation: OfflineExpectation,
  ) {}

  async trial(n: number, fault: Fault): Promise<FaultTrial> {
    const prefix = `${this.runPrefix}t${n}-`;
    const startedAt = Date.now();
    const [shopFault, shopTarget] = shopFaults[n % shopFaults.length];
    const shopOn = this.loop.load !== undefined;
    if (shopOn)
      await injectFault(scenario(shopFault, shopTarget), this.loop.shop, this.loop.executor).catch(
        (error: Error) => log(`  shop fault not injected: ${error.message}`),
      );
    const alerts = stormAlerts({ ...this.storm, prefix }, startedAt);
    const sending = sendStorm(this.loop.ingestUrl, this.loop.ingestToken, alerts, 300_000);
    await sleep(num('fault-at-s', 25) * 1000);
    const { liftedAt, orphans } = await this.inject(fault);
    const recovery =
      fault.kind === 'none' ? undefined : await this.recover(fault, liftedAt, prefix);
    const sent = await sending;
    await this.drain(prefix, sent.accepted);
    const endedAt = Date.now();
    const outcome = await retried(() => readOutcome(this.kafka), 5);
    const got = groupingOf(outcome.incidents, prefix);
    const expectedFrom = async (order: 'input' | 'ingest') =>
      groupingOf(await retried(() => this.expectation.events(order), 5), prefix);
    const expected = await expectedFrom('input');
    const counts = compareGrouping(expected, got, sent.accepted);
    const byIngest = compareGrouping(await expectedFrom('ingest'), got, sent.accepted);
    if (counts.incidentsDuplicated + counts.incidentsMissing > 0) {
      const differ = groupingDifferences(expected, got);
      log(`  offline only: ${differ.expected.map((g) => `[${g.join(' ')}]`).join(' ')}`);
      log(`  live only:    ${differ.got.map((g) => `[${g.join(' ')}]`).join(' ')}`);
    }
    const inWindow = <T>(items: T[], at: (t: T) => string) =>
      items.filter((i) => Date.parse(at(i)) >= startedAt && Date.parse(at(i)) < endedAt);
    const plans = inWindow(outcome.plans, (p) => p.createdAt);
    const executions = inWindow(outcome.executions, (e) => e.at);
    const dlq = dlqInWindow(outcome.dlq, startedAt, endedAt);
    const ledgerDups = this.ledgerDuplicates();
    const result: FaultTrial = {
      fault: fault.kind,
      target: fault.target,
      shopFault: shopOn ? `${shopFault}:${shopTarget}` : undefined,
      alertsSent: alerts.length,
      alertsAccepted: sent.accepted.size,
      alertsNeverAccepted: sent.neverAccepted.length,
      refusals: sent.refusals,
      incidents: new Set([...got.values()].flatMap((s) => [...s])).size,
      ...counts,
      ingestOrder: {
        incidentsDuplicated: byIngest.incidentsDuplicated,
        incidentsMissing: byIngest.incidentsMissing,
      },
      plans: new Set(plans.map((p) => p.planId)).size,
      plansDuplicated: duplicatePlans(plans, executions),
      stepsApplied: executions.filter((e) => e.type === 'step-succeeded').length,
      stepsAppliedTwice: stepsAppliedTwice(executions),
      ledgerDuplicates: ledgerDups - this.ledgerDupsBefore,
      dlqRecords: dlq.count,
      dlqReasons: dlq.reasons,
      recoveryS: recovery?.totalS,
      recovery: recovery?.parts,
      orphanedProcesses: orphans,
      durationS: Math.round((endedAt - startedAt) / 1000),
    };
    this.ledgerDupsBefore = ledgerDups;
    await this.settle();
    return result;
  }

  /** Brings the fault on and lifts it; resolves when it is lifted (the restart begins). */
  private async inject(fault: Fault): Promise<{ liftedAt: number; orphans?: number }> {
    const services = this.loop.services;
    const outageMs = num('outage-s', 60) * 1000;
    switch (fault.kind) {
      case 'none':
        return { liftedAt: Date.now() };
      case 'kill': {
        const pid = services.pid(fault.target);
        const children = pid === undefined ? [] : childPids(pid);
        await services.kill(fault.target);
        const liftedAt = Date.now();
        await services.start(fault.target);
        // what the killed process had started runs on without it: the executor's shop instances
        const orphans = children.filter(alive);
        for (const child of orphans) process.kill(child, 'SIGKILL');
        return { liftedAt, orphans: orphans.length };
      }
      case 'broker':
        await this.infra.down('kafka');
        await sleep(num('broker-down-s', 5) * 1000);
        await this.infra.up('kafka');
        return { liftedAt: Date.now() };
      case 'neo4j':
        await this.infra.down('neo4j');
        await sleep(outageMs);
        await this.infra.up('neo4j');
        return { liftedAt: Date.now() };
      case 'gateway':
        await services.stop('model-gateway');
        await sleep(outageMs);
        await services.start('model-gateway');
        return { liftedAt: Date.now() };
    }
  }

  /**
   * Recovered: every service answers its health check, a new alert goes from ingest to an
   * incident, and every consumer group is within `--lag` records of its topics' ends.
   */
  private async recover(
    fault: Fault,
    liftedAt: number,
    prefix: string,
  ): Promise<{ totalS?: number; parts: Record<string, number | undefined> }> {
    const services = this.loop.services;
    const lagLimit = num('lag', 200);
    const probe = `p${prefix}probe`;
    let healthAt: number | undefined;
    let probeAcceptedAt: number | undefined;
    let caughtUpAt: number | undefined;
    let lastLags: Record<string, number> | undefined;
    const deadline = Date.now() + num('recovery-timeout-s', 300) * 1000;
    while (Date.now() < deadline) {
      if (healthAt === undefined) {
        const health = await Promise.all(services.names.map((s) => services.healthy(s)));
        if (health.every(Boolean)) healthAt = Date.now();
      }
      if (probeAcceptedAt === undefined) {
        const response = await fetch(this.loop.ingestUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${this.loop.ingestToken}`,
          },
          body: JSON.stringify({
            alertname: 'FaultBenchProbe',
            service: `${prefix}probe`,
            fingerprint: probe,
            summary: `probe after ${fault.kind} ${fault.target}`,
          }),
          signal: AbortSignal.timeout(5_000),
        }).catch(() => undefined);
        if (response?.ok) probeAcceptedAt = Date.now();
      }
      if (caughtUpAt === undefined) {
        const lags = await groupLags(this.kafka, services.groups).catch(() => undefined);
        lastLags = lags ?? lastLags;
        if (lags && Object.values(lags).every((l) => l <= lagLimit)) caughtUpAt = Date.now();
      }
      const probeAt = this.watch.seen.get(probe);
      if (healthAt && probeAt && caughtUpAt) {
        const s = (t: number) => Math.max(0, (t - liftedAt) / 1000);
        return {
          totalS: s(Math.max(healthAt, probeAt, caughtUpAt)),
          parts: { healthS: s(healthAt), probeS: s(probeAt), caughtUpS: s(caughtUpAt) },
        };
      }
      await sleep(1_000);
    }
    // which groups were still behind (Infinity: no member holds a partition) says where to look
    const behind = Object.entries(lastLags ?? {})
      .filter(([, lag]) => lag > lagLimit)
      .map(([group, lag]) => `${group} ${lag}`);
    log(
      `  not recovered in time (health ${healthAt}, probe ${probeAcceptedAt}, lag ${caughtUpAt}; behind: ${behind.join(', ') || 'unknown'})`,
    );
    return { parts: {} };
  }

  /** Until every accepted alert is in an incident, or two minutes pass; then a quiet while. */
  private async drain(prefix: string, accepted: ReadonlySet<string>): Promise<void> {
    const deadline = Date.now() + num('drain-s', 120) * 1000;
    while (Date.now() < deadline) {
      if ([...accepted].every((k) => this.watch.seen.has(`${prefix}${k}`))) break;
      await sleep(2_000);
    }
    await sleep(num('quiet-s', 15) * 1000);
  }

  private ledgerDuplicates(): number {
    const dir = join(this.loop.dir, 'ledger');
    if (!existsSync(dir)) return 0;
    return readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .reduce((n, f) => n + ledgerDuplicates(readFileSync(join(dir, f), 'utf8').split('\n')), 0);
  }

  /** A healthy shop and no open shop incident before the next trial (else they join). */
  private async settle(): Promise<void> {
    if (this.loop.load === undefined) return;
    for (const [kind, service] of shopFaults) {
      await clearFaults(service, this.loop.shop).catch(() => 0);
      // a bad release the guardrails refused to roll back a third time stays: undo it here
      if (scenario(kind, service).action.kind === 'deploy')
        await restoreRelease(service, this.loop.shop, this.loop.executor)
          .then((deployed) => {
            if (deployed) log(`  ${service} put back on its good release`);
          })
          .catch((error: Error) => log(`  ${service} not put back: ${error.message}`));
    }
    const deadline = Date.now() + num('settle-s', 120) * 1000;
    let open = await openIncidents(this.kafka, this.loop.shop.prefix);
    while (open.length > 0 && Date.now() < deadline) {
      await sleep(5_000);
      open = await openIncidents(this.kafka, this.loop.shop.prefix);
    }
    if (open.length > 0) log(`  still open: ${open.join(', ')}`);
  }
}

function faultsToRun(serviceNames: string[]): Fault[] {
  const only = arg('only', 'kill,broker,neo4j,gateway').split(',');
  const targets = arg('services', serviceNames.join(',')).split(',');
  // runs with no fault: how far the live loop is from the offline correlator without any fault
  const faults: Fault[] = Array.from({ length: Math.max(1, num('references', 2)) }, () => ({
    kind: 'none' as const,
    target: '-',
  }));
  if (only.includes('kill')) for (const s of targets) faults.push({ kind: 'kill', target: s });
  if (only.includes('broker')) faults.push({ kind: 'broker', target: 'kafka' });
  if (only.includes('neo4j')) faults.push({ kind: 'neo4j', target: 'neo4j' });
  if (only.includes('gateway')) faults.push({ kind: 'gateway', target: 'model-gateway' });
  return faults;
}

const fmt = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(0));

function line(t: FaultTrial): string {
  return [
    `${t.fault} ${t.target}`.padEnd(24),
    `lost ${t.alertsLost}`,
    `incidents dup ${t.incidentsDuplicated} missing ${t.incidentsMissing} (of ${t.incidents})`,
    t.ingestOrder
      ? `in ingest order ${t.ingestOrder.incidentsDuplicated}/${t.ingestOrder.incidentsMissing}`
      : '',
    `plans dup ${t.plansDuplicated} (of ${t.plans})`,
    `steps twice ${t.stepsAppliedTwice}+${t.ledgerDuplicates} (of ${t.stepsApplied})`,
    `dlq ${t.dlqRecords}`,
    `recovery ${fmt(t.recoveryS)} s`,
    t.orphanedProcesses ? `orphans ${t.orphanedProcesses}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

async function main(): Promise<void> {
  const runId = randomUUID().slice(0, 6);
  const infra = new OwnInfra(root);
  log('starting the bench Kafka and Neo4j (instance faultbench) ...');
  await infra.up();
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.NEO4J_URI = infra.neo4jUri;
  const kafka = createKafka({ brokers: [infra.kafkaBrokers], clientId: `fb-${runId}` });
  const graph = new GraphTestScope(`fb${runId}-`);
  const rps = process.argv.includes('--no-shop') ? 0 : num('rps', 5);
  log(`starting Vigil (one process per service)${rps > 0 ? ' and the shop' : ''} ...`);
  const loopStartedAt = Date.now();
  const loop = await startLoop(kafka, graph, {
    runId,
    root: buildRoot(),
    portBase: num('port-base', 3950),
    shopPortOffset: num('shop-port-offset', 3000),
    kafkaBrokers: infra.kafkaBrokers,
    neo4jUri: infra.neo4jUri,
    rps,
  });
  const watch = new IncidentWatch();
  stopOnSignal(async () => {
    await loop.stop();
    if (!process.argv.includes('--keep-infra')) await infra.down();
  }, 'stopping the services ...');
  const trials: FaultTrial[] = [];
  const storm = {
    groups: num('groups', 20),
    perGroup: num('per-group', 5),
    repeats: num('repeats', 3),
    seconds: num('storm-s', 60),
  };
  try {
    await watch.start(kafka);
    log(`warming up ${num('warmup-s', 60)} s ...`);
    await sleep(num('warmup-s', 60) * 1000);
    const bench = new FaultBench(
      kafka,
      infra,
      loop,
      watch,
      storm,
      `s${runId}-`,
      new OfflineExpectation(kafka, graph.topology, loopStartedAt),
    );
    const faults = faultsToRun(loop.services.names);
    for (const [n, fault] of faults.entries()) {
      log(`[${n + 1}/${faults.length}] ${fault.kind} ${fault.target} ...`);
      const result = await bench.trial(n, fault);
      trials.push(result);
      log(`  ${line(result)}`);
      if (Object.keys(result.dlqReasons).length > 0)
        log(`  dlq: ${JSON.stringify(result.dlqReasons)}`);
      writeResults(trials, storm, rps);
    }
  } finally {
    await watch.stop().catch(() => undefined);
    await loop.stop();
    await graph.close().catch(() => undefined);
    if (!process.argv.includes('--keep-infra')) await infra.down();
  }
  process.stdout.write(`\n${trials.map(line).join('\n')}\n`);
}

function writeResults(trials: FaultTrial[], storm: FaultsResults['storm'], rps: number): void {
  const results: FaultsResults = {
    date: new Date().toISOString().slice(0, 10),
    storm,
    shopRps: rps,
    outageS: num('outage-s', 60),
    trials,
    expectedFrom: 'offline-input',
    ...(arg('note', '') && { note: arg('note', '') }),
  };
  writeFileSync(
    join(root, 'bench', 'results', 'faults.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:faults: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
