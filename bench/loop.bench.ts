/**
 * The closed loop, measured: every fault class injected into the running demo shop, one after
 * another, and what Vigil did about each: detection, time to the right root cause, time to a
 * verified recovery (MTTR), healed without a human or not, wrong or harmful actions, alerts per
 * incident. Needs Kafka and Neo4j (`npm run infra:up`). `npm run bench:loop -- --repeat 2`.
 */
import { randomUUID } from 'node:crypto';
import { faultKinds, noFaults, parseFaults, scenario, type FaultKind } from '@vigil/demo-shop';
import { callInstance, clearFaults, injectFault, liveInstances } from '@vigil/demo-shop-client';
import { GraphTestScope } from '@vigil/graph';
import {
  awaitHealing,
  openIncidents,
  otherTargetsSince,
  startClosedLoop,
  type ClosedLoop,
  type Healing,
} from '../test/support/closed-loop';
import { testKafka } from '../test/support/kafka-test-kit';

/** The service each fault is tried on, in turn: every fault where it has callers to hurt. */
const targets: Record<FaultKind, readonly string[]> = {
  latency: ['catalog', 'currency'],
  'error-rate': ['payment', 'cart'],
  crash: ['payment', 'shipping'],
  'cpu-hog': ['recommendation', 'catalog'],
  'memory-leak': ['cart', 'currency'],
  'dependency-outage': ['catalog-db', 'cache'],
  'bad-deploy': ['checkout', 'payment'],
};

interface Outcome {
  injectedAt: number;
  fault: FaultKind;
  service: string;
  healed: boolean;
  detectS?: number;
  rightCauseS?: number;
  mttrS?: number;
  /** Seconds from the fault to the plan, to its first step, to its end. */
  planS?: number;
  actS?: number;
  endS?: number;
  wrong: number;
  harmful: number;
  alerts: number;
  note: string;
}

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (from: number, to?: number) => (to === undefined ? undefined : (to - from) / 1000);

async function trial(loop: ClosedLoop, fault: FaultKind, service: string): Promise<Outcome> {
  const kafka = testKafka();
  const target = loop.svc(service);
  const injectedAt = Date.now();
  await injectFault(scenario(fault, service), loop.shop, loop.executor);
  let healing: Healing | undefined;
  let note = '';
  try {
    healing = await awaitHealing(kafka, target, injectedAt, Number(arg('timeout', '300')) * 1000);
  } catch (error) {
    note = (error as Error).message;
  }
  const verified = healing?.audit.some((e) => e.type === 'verification-passed') ?? false;
  const completed = healing?.audit.some((e) => e.type === 'plan-completed') ?? false;
  // a wrong action counts whether or not anything healed the faulty service
  const others = healing?.otherTargets ?? (await otherTargetsSince(kafka, target, injectedAt));
  // the executor's own verification is not the judge here: the service itself must be well again
  const healed = completed && verified && (await recoveredWithin(loop, service, 60_000));
  if (healing && !healed)
    note = `plan ${healing.plan.planId} ${healing.audit.at(-1)?.type ?? ''}${completed && verified ? ', but the service did not recover' : ''}`;
  return {
    injectedAt,
    fault,
    service,
    healed,
    ...(healing && {
      detectS: secs(injectedAt, healing.detectedAt),
      rightCauseS: secs(injectedAt, healing.rightCauseAt),
      mttrS: healed ? secs(injectedAt, healing.completedAt) : undefined,
      planS: secs(injectedAt, healing.plannedAt),
      actS: secs(injectedAt, healing.actedAt),
      endS: secs(injectedAt, healing.completedAt),
    }),
    wrong: others.length,
    harmful: healing?.leftChanged.length ?? 0,
    alerts: healing?.alertsInIncident ?? 0,
    note: [
      note ||
        (healing
          ? `${healing.plan.faultClass}: ${healing.plan.steps.map((s) => s.action).join(', ')}`
          : ''),
      healing && healing.attempts > 1 ? `${healing.attempts} plans` : '',
      healing && healing.leftChanged.length > 0
        ? `left changed: ${healing.leftChanged.join(', ')}`
        : '',
      others.length > 0 ? `also acted on ${others.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  };
}

/**
 * Well again: every instance answers healthy on v1, fails under 5% and answers its p99 under
 * 500 ms (what the shop's alert rules call normal), and none of them still carries the injected
 * fault (an extra instance beside a leaking one hides the leak for a while; it does not heal it),
 * for three checks in a row.
 */
async function recoveredWithin(loop: ClosedLoop, service: string, ms: number): Promise<boolean> {
  let good = 0;
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(2_000)) {
    const instances = await liveInstances(service, loop.shop);
    const [stats, faults] = await Promise.all([
      Promise.all(instances.map((i) => callInstance(i.port, 'GET', '/admin/stats'))),
      Promise.all(instances.map((i) => callInstance(i.port, 'GET', '/admin/faults'))),
    ]);
    const fine =
      instances.length > 0 &&
      instances.every((i) => i.healthy && i.version === 'v1') &&
      stats.every((s) => {
        const body = s?.json as { errorRate?: number; p99Ms?: number } | undefined;
        return (body?.errorRate ?? 1) < 0.05 && (body?.p99Ms ?? Infinity) < 500;
      }) &&
      faults.every((f) => {
        const active = parseFaults((f?.json as { faults?: unknown } | undefined)?.faults);
        return active.ok && JSON.stringify(active.faults) === JSON.stringify(noFaults);
      });
    good = fine ? good + 1 : 0;
    if (good >= 3) return true;
  }
  return false;
}

/**
 * Back to a healthy shop before the next fault: faults off, every service answering, and every
 * incident of the run resolved (else the next fault's alerts join the last one).
 */
async function settle(loop: ClosedLoop): Promise<void> {
  for (const [service] of Object.entries(targets).flatMap(([, s]) => s.map((x) => [x])))
    await clearFaults(service, loop.shop);
  for (let i = 0; i < 60; i++) {
    const before = loop.load.report();
    await sleep(5_000);
    const after = loop.load.report();
    const failed = after.failed - before.failed;
    if (failed === 0 && after.p99Ms < 1_000) break;
  }
  const kafka = testKafka();
  let open = await openIncidents(kafka, loop.prefix);
  for (const deadline = Date.now() + 300_000; open.length > 0 && Date.now() < deadline; ) {
    await sleep(10_000);
    open = await openIncidents(kafka, loop.prefix);
  }
  if (open.length > 0) process.stdout.write(`  still open after 5 min: ${open.join(', ')}\n`);
  await sleep(Number(arg('gap', '20')) * 1000);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] ?? NaN);
};
const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(0));

async function main(): Promise<void> {
  const repeat = Number(arg('repeat', '1'));
  const only = arg('faults', faultKinds.join(',')).split(',') as FaultKind[];
  const kafka = testKafka();
  const runId = randomUUID().slice(0, 6);
  const graph = new GraphTestScope(`l${runId}-`);
  process.stdout.write('starting Vigil (all-in-one) and the shop ...\n');
  const loop = await startClosedLoop(kafka, graph, {
    runId,
    portBase: 3850,
    shopPortOffset: 2000,
    rps: Number(arg('rps', '10')),
    // what users run: `npm run bench:loop` builds dist/ first
    compiled: true,
  });
  const outcomes: Outcome[] = [];
  try {
    process.stdout.write('warming up (baselines) 90 s ...\n');
    await sleep(90_000);
    const plan = only.flatMap((fault) =>
      Array.from(
        { length: repeat },
        (_, i) => [fault, targets[fault][i % targets[fault].length] ?? 'payment'] as const,
      ),
    );
    for (const [n, [fault, service]] of plan.entries()) {
      process.stdout.write(`[${n + 1}/${plan.length}] ${fault} on ${service} ... `);
      const outcome = await trial(loop, fault, service);
      outcomes.push(outcome);
      process.stdout.write(
        `${outcome.healed ? 'healed' : 'NOT healed'}; detect ${fmt(outcome.detectS)} s, right cause ${fmt(outcome.rightCauseS)} s, plan ${fmt(outcome.planS)} s, act ${fmt(outcome.actS)} s, end ${fmt(outcome.endS)} s, MTTR ${fmt(outcome.mttrS)} s, wrong ${outcome.wrong}, harmful ${outcome.harmful}, alerts ${outcome.alerts} (${outcome.note})\n`,
      );
      const alive = await liveInstances(service, loop.shop);
      if (alive.length === 0 || alive.some((i) => i.version !== 'v1'))
        process.stdout.write(`  ${service} left unhealthy: ${JSON.stringify(alive)}\n`);
      if (n < plan.length - 1) await settle(loop);
      else await sleep(60_000);
      // a plan on another service after the fault was healed is as wrong as one before
      const later = await otherTargetsSince(kafka, loop.svc(service), outcome.injectedAt);
      if (later.length > outcome.wrong) {
        process.stdout.write(`  then also acted on ${later.join(', ')}\n`);
        outcome.wrong = later.length;
      }
    }
  } finally {
    await loop.stop();
    await graph.close();
  }
  const healed = outcomes.filter((o) => o.healed);
  const mttr = healed.flatMap((o) => (o.mttrS === undefined ? [] : [o.mttrS]));
  const detect = outcomes.flatMap((o) => (o.detectS === undefined ? [] : [o.detectS]));
  const right = outcomes.flatMap((o) => (o.rightCauseS === undefined ? [] : [o.rightCauseS]));
  process.stdout.write(
    [
      '',
      `faults injected              ${outcomes.length}`,
      `healed without a human       ${healed.length}/${outcomes.length} (${((100 * healed.length) / Math.max(1, outcomes.length)).toFixed(0)}%)`,
      `median detection             ${fmt(median(detect))} s`,
      `median time to right cause   ${fmt(median(right))} s (right cause found in ${right.length}/${outcomes.length})`,
      `median MTTR (healed)         ${fmt(median(mttr))} s`,
      `wrong actions                ${outcomes.reduce((a, o) => a + o.wrong, 0)}`,
      `harmful actions              ${outcomes.reduce((a, o) => a + o.harmful, 0)}`,
      `alerts per incident (median) ${fmt(median(outcomes.map((o) => o.alerts)))}`,
      '',
    ].join('\n'),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:loop: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
