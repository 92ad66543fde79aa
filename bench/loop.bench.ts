/**
 * The closed loop, measured: faults injected into the running demo shop one after another (the
 * first kinds a restart cures, the kinds held outside the process, the novel kinds no known-good
 * runbook heals), under the demo policy and under the production policy with a scripted approver
 * who approves in the loop's console, and what Vigil did about each: detection, time to the right
 * root cause, the plans and where they came from, guardrail verdicts, time to a verified recovery
 * (MTTR, also without the time spent waiting for approval), harm and wrong targets. Writes bench/results/loop-<date>.json and
 * loop.json (the README's table; `--out DIR` writes them elsewhere). Uses the benchmarks' own
 * Kafka and Neo4j (bench/support/local-infra.ts), and starts them when they are not running.
 * `npm run bench:loop -- [--faults old|restart-proof|novel|all|KIND,...] [--policy demo|production|both]
 *  [--repeat N] [--approval-delay-ms 10000] [--environment per-repeat|shared]
 *  [--alerting prometheus|ruler] [--out DIR]`.
 * Alerting: real Prometheus scrapes the shop's /metrics with the demo's rule files and real
 * Alertmanager posts to Vigil's ingest, and RCA reads that Prometheus, as in `npm run demo`
 * (default; each environment runs its own pair on free ports); `ruler` alerts with apps/ruler,
 * Vigil's built-in evaluator over Kafka, instead.
 * Each repeat runs in an environment of its own by default (a new Vigil, shop, topics and data
 * dir), as repeats on different days would: the production policy's hourly limits count every
 * action of an environment, and three repeats inside one hour exceed them by construction.
 * `--environment shared` runs every repeat in one environment, which shows those limits refusing.
 * `--beside FILE` keeps the runs of other policies in that results file beside this one (a policy
 * run takes about an hour here: `--policy demo --beside bench/results/loop.json` after a
 * production run gives the README's table both).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import {
  noFaults,
  parseFaults,
  scenario,
  shopServices,
  type AnyFaultKind,
  type Scenario,
} from '@vigil/demo-shop';
import {
  callInstance,
  clearFaults,
  deployRelease,
  injectFault,
  liveInstances,
  type InjectionReport,
} from '@vigil/demo-shop-client';
import { GraphTestScope } from '@vigil/graph';
import { planSource } from '@vigil/action-catalog';
import {
  awaitHealing,
  loopActivity,
  openIncidents,
  otherTargetsSince,
  parseAlerting,
  startClosedLoop,
  type ClosedLoop,
  type Healing,
  type LoopActivity,
} from '../test/support/closed-loop';
import { testKafka } from '../test/support/kafka-test-kit';
import { stopOnSignal } from '../test/support/stop-on-signal';
import {
  familyOf,
  heldIn,
  parseEnvironment,
  parseFaultSet,
  parsePolicies,
  trialPlan,
} from './loop/loop-faults';
import {
  judgeTargets,
  runsBeside,
  summariseAll,
  type FaultRecord,
  type LoopPolicy,
  type LoopResults,
  type PlanRecord,
} from './loop/loop-report';
import { ScriptedApprover, type ApprovalRecord } from './loop/scripted-approver';
import { cureByHand, HealthRecorder, sampleHealth, worseThan } from './loop/shop-health';
import { ensureInfra } from './support/local-infra';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (from: number, to?: number) => (to === undefined ? undefined : (to - from) / 1000);
const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(0));

const settings = {
  faults: parseFaultSet(arg('faults', 'all')),
  policies: parsePolicies(arg('policy', 'both')),
  repeat: Number(arg('repeat', '1')),
  approvalDelayMs: Number(arg('approval-delay-ms', '10000')),
  timeoutMs: Number(arg('timeout', '300')) * 1000,
  gapMs: Number(arg('gap', '20')) * 1000,
  rps: Number(arg('rps', '10')),
  environment: parseEnvironment(arg('environment', 'per-repeat')),
  beside: arg('beside', ''),
  note: arg('note', ''),
  alerting: parseAlerting(arg('alerting', 'prometheus')),
  outDir: arg('out', join('bench', 'results')),
};

interface Trial {
  policy: LoopPolicy;
  fault: AnyFaultKind;
  service: string;
  repeat: number;
}

/** Every plan since the fault, on any service, with its verdicts, end and approval wait. */
function planRecords(activity: LoopActivity, approvals: readonly ApprovalRecord[]): PlanRecord[] {
  return activity.plans.map((plan) => {
    const events = activity.events.filter((e) => e.planId === plan.planId);
    const end = events.filter((e) =>
      ['plan-completed', 'plan-aborted', 'plan-refused'].includes(e.type),
    );
    const approval = approvals.find((a) => a.planId === plan.planId);
    return {
      planId: plan.planId,
      provenance: planSource(plan.provenance),
      faultClass: plan.faultClass,
      steps: plan.steps.map((s) => `${s.action}@${s.target}`),
      verdicts: events
        .filter((e) => e.type === 'verdict')
        .map((e) => {
          const reason = e.detail['reason.1.code'];
          return `${e.stepId ?? '?'}: ${String(e.detail['verdict'])}${reason ? ` (${String(reason)})` : ''}`;
        }),
      end: end.at(-1)
        ? `${end.at(-1)?.type}${end.at(-1)?.detail['cause'] ? ` (${String(end.at(-1)?.detail['cause'])})` : ''}`
        : 'none',
      ...(approval && { approvalWaitS: (approval.approvedAt - approval.askedAt) / 1000 }),
    };
  });
}

async function trial(
  loop: ClosedLoop,
  approver: ScriptedApprover | undefined,
  t: Trial,
): Promise<{ record: FaultRecord; injection: InjectionReport; chaos: Scenario }> {
  const kafka = testKafka();
  const target = loop.svc(t.service);
  const chaos = scenario(t.fault, t.service);
  const recorder = new HealthRecorder(t.service, loop.shop);
  recorder.start();
  const injectedAt = Date.now();
  const injection = await injectFault(chaos, loop.shop, loop.executor);
  let healing: Healing | undefined;
  let note = '';
  try {
    healing = await awaitHealing(kafka, target, injectedAt, settings.timeoutMs);
  } catch (error) {
    note = (error as Error).message;
  }
  const verified = healing?.audit.some((e) => e.type === 'verification-passed') ?? false;
  const completed = healing?.audit.some((e) => e.type === 'plan-completed') ?? false;
  const others = healing?.otherTargets ?? (await otherTargetsSince(kafka, target, injectedAt));
  // the executor's own verification is not the judge here: the service itself must be well again
  const healed = completed && verified && (await recoveredWithin(loop, t.service, 60_000));
  injection.spike?.stop();
  recorder.stop();
  const activity = await loopActivity(kafka, loop.prefix, target, injectedAt);
  const approvals = (approver?.approvals() ?? []).filter((a) => a.askedAt >= injectedAt);
  const plans = planRecords(activity, approvals);
  const endedAt = healing?.completedAt;
  // the waits for approval on the way to the recovery (a plan approved later did not heal it)
  const waitS = approvals
    .filter((a) => a.target === target && (endedAt === undefined || a.approvedAt <= endedAt))
    .reduce((sum, a) => sum + (a.approvedAt - a.askedAt) / 1000, 0);
  const mttrS = healed ? secs(injectedAt, endedAt) : undefined;
  const harm = [
    ...(healing?.leftChanged.map((c) => `left changed ${c}`) ?? []),
    ...worseAfterActing(recorder, healing?.actedAt, await sampleHealth(t.service, loop.shop)),
  ];
  if (healing && !healed)
    note = `plan ${healing.plan.planId} ${healing.audit.at(-1)?.type ?? ''}${completed && verified ? ', but the service did not recover' : ''}`;
  const record: FaultRecord = {
    policy: t.policy,
    repeat: t.repeat,
    fault: t.fault,
    family: familyOf(t.fault),
    heldIn: heldIn(t.fault),
    service: t.service,
    injectedAt: new Date(injectedAt).toISOString(),
    detectedS: secs(injectedAt, activity.detectedAt),
    rightCauseS: secs(injectedAt, activity.rightCauseAt),
    plannedS: secs(injectedAt, activity.plans[0] && Date.parse(activity.plans[0].createdAt)),
    ...(healing && {
      actedS: secs(injectedAt, healing.actedAt),
      endedS: secs(injectedAt, healing.completedAt),
    }),
    plans,
    healed,
    approved: approvals.some((a) => a.target === target),
    approvalWaitS: waitS,
    ...(mttrS !== undefined && { mttrS, mttrExcludingApprovalS: mttrS - waitS }),
    harm,
    wrongTargets: others,
    alerts: healing?.alertsInIncident ?? 0,
    note: [
      note ||
        (healing
          ? `${healing.plan.faultClass}: ${healing.plan.steps.map((s) => s.action).join(', ')}`
          : ''),
      healing && healing.attempts > 1 ? `${healing.attempts} plans` : '',
    ]
      .filter(Boolean)
      .join('; '),
  };
  return { record, injection, chaos };
}

/** Harm by acting: the service worse at the end than just before the first step. */
function worseAfterActing(
  recorder: HealthRecorder,
  actedAt: number | undefined,
  after: Awaited<ReturnType<typeof sampleHealth>>,
): string[] {
  if (actedAt === undefined) return [];
  const before = recorder.before(actedAt);
  const worse = before && worseThan(before, after);
  return worse ? [worse] : [];
}

/**
 * Well again: every instance answers healthy on v1, fails under 5% and answers its p99 under
 * 500 ms (what the shop's alert rules call normal), and none of them still carries an injected
 * in-process fault, for three checks in a row.
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
 * Back to a healthy shop before the next fault: what was left unhealed undone by hand, faults
 * off, every service answering, and every incident of the run resolved (else the next fault's
 * alerts join the last one).
 */
async function settle(loop: ClosedLoop, kafka: Kafka, left: Scenario | undefined): Promise<void> {
  if (left) {
    const done = cureByHand(left, loop.dataRoot);
    if (done) process.stdout.write(`  by hand: ${done}\n`);
    if (left.action.kind === 'deploy') await deployGood(loop, left.service);
  }
  for (const { name } of shopServices) await clearFaults(name, loop.shop);
  for (let i = 0; i < 60; i++) {
    const before = loop.load.report();
    await sleep(5_000);
    const after = loop.load.report();
    if (after.failed - before.failed === 0 && after.p99Ms < 1_000) break;
  }
  await noOpenIncidents(loop, kafka);
  await sleep(settings.gapMs);
}

/** Waits (up to 5 minutes) until no incident of the run is open, so the next fault starts its own. */
async function noOpenIncidents(loop: ClosedLoop, kafka: Kafka): Promise<void> {
  let open = await openIncidents(kafka, loop.prefix);
  for (const deadline = Date.now() + 300_000; open.length > 0 && Date.now() < deadline; ) {
    await sleep(10_000);
    open = await openIncidents(kafka, loop.prefix);
  }
  if (open.length > 0) process.stdout.write(`  still open after 5 min: ${open.join(', ')}\n`);
}

/** A bad release left in place goes back to v1 through the executor's deployment API. */
async function deployGood(loop: ClosedLoop, service: string): Promise<void> {
  await deployRelease(loop.svc(service), 'v1', loop.executor).catch(() => undefined);
}

function line(r: FaultRecord): string {
  const how = r.healed ? (r.approved ? 'healed with an approval' : 'healed') : 'NOT healed';
  const plans = r.plans
    .map((p) => `${p.provenance} ${p.faultClass} [${p.steps.join(', ')}] ${p.end}`)
    .join(' | ');
  return `${how}; detect ${fmt(r.detectedS)} s, right cause ${fmt(r.rightCauseS)} s, act ${fmt(r.actedS)} s, MTTR ${fmt(r.mttrS)} s (${fmt(r.mttrExcludingApprovalS)} s without ${fmt(r.approvalWaitS)} s of approval), harm ${r.harm.length}, wrong ${r.wrongTargets.length}; ${plans || r.note}\n`;
}

/** The runs of other policies to keep beside this one (`--beside`), read before the run writes. */
const besideRuns = settings.beside
  ? runsBeside(readResults(settings.beside), settings.policies)
  : [];

function readResults(file: string): LoopResults {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LoopResults;
  } catch (error) {
    process.stderr.write(
      `--beside ${file}: not a loop results file (${(error as Error).message})\n`,
    );
    process.exit(2);
  }
}

function write(records: FaultRecord[], startedAt: Date, final: boolean): void {
  const summary = summariseAll([...besideRuns.flatMap((r) => r.faults), ...records]);
  const date = startedAt.toISOString().slice(0, 10);
  const results: LoopResults = {
    meta: {
      date,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      repeat: settings.repeat,
      faults: settings.faults,
      policies: settings.policies,
      environment: settings.environment,
      alerting: settings.alerting,
      approvalDelayMs: settings.approvalDelayMs,
      rps: settings.rps,
      cpus: cpus().length,
      loadAverage: Number(loadavg()[0]?.toFixed(1)),
      note: [
        final ? '' : 'partial: the run had not finished when this was written',
        settings.repeat < 3 ? `--repeat ${settings.repeat}: published figures need 3` : '',
        settings.note,
      ]
        .filter(Boolean)
        .join('; '),
    },
    faults: records,
    summary,
    ...(besideRuns.length > 0 && { beside: besideRuns }),
    targets: judgeTargets(summary),
  };
  mkdirSync(settings.outDir, { recursive: true });
  const text = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(join(settings.outDir, `loop-${date}.json`), text);
  writeFileSync(join(settings.outDir, 'loop.json'), text);
}

/** The loop running now: a Ctrl-C stops it (and the shop it runs) before the bench exits. */
let running: ClosedLoop | undefined;

/** Runs `trials` in a Vigil and shop of their own, started for them and stopped after. */
async function runEnvironment(
  policy: LoopPolicy,
  trials: readonly Trial[],
  records: FaultRecord[],
  startedAt: Date,
): Promise<void> {
  const kafka = testKafka();
  const runId = randomUUID().slice(0, 6);
  const graph = new GraphTestScope(`l${runId}-`);
  const alerts =
    settings.alerting === 'prometheus'
      ? 'Prometheus and Alertmanager (RCA reads Prometheus too)'
      : "apps/ruler (Vigil's built-in evaluator over Kafka)";
  process.stdout.write(
    `== ${policy} policy: starting Vigil (all-in-one) and the shop; alerts from ${alerts} ...\n`,
  );
  const loop = await startClosedLoop(kafka, graph, {
    runId,
    portBase: 3850,
    shopPortOffset: 2000,
    rps: settings.rps,
    // what users run: `npm run bench:loop` builds dist/ first
    compiled: true,
    policy,
    alerting: settings.alerting,
  });
  running = loop;
  const approver =
    loop.console &&
    new ScriptedApprover(kafka, loop.console, settings.approvalDelayMs, loop.prefix);
  try {
    await approver?.start();
    process.stdout.write('warming up (baselines) 90 s ...\n');
    await sleep(90_000);
    // the shop's start can open an incident (instances not up yet): its plans are no fault's
    await noOpenIncidents(loop, kafka);
    for (const t of trials) {
      const n = records.filter((r) => r.policy === policy).length + 1;
      process.stdout.write(
        `[${policy} ${n}/${settings.faults.length * settings.repeat}] ${t.fault} on ${t.service} ... `,
      );
      const { record, chaos } = await trial(loop, approver, t);
      records.push(record);
      process.stdout.write(line(record));
      await settle(loop, kafka, record.healed ? undefined : chaos);
      // a plan on another service after the fault was healed is as wrong as one before
      const later = await otherTargetsSince(
        kafka,
        loop.svc(t.service),
        Date.parse(record.injectedAt),
      );
      if (later.length > record.wrongTargets.length) {
        process.stdout.write(`  then also acted on ${later.join(', ')}\n`);
        record.wrongTargets = later;
      }
      write(records, startedAt, false);
    }
  } finally {
    await approver?.stop();
    await loop.stop();
    running = undefined;
    await graph.close();
  }
}

/** A policy's trials, in one environment or one per repeat (see the header). */
async function runPolicy(policy: LoopPolicy, records: FaultRecord[], startedAt: Date) {
  const plan = trialPlan(settings.faults, settings.repeat).map((t) => ({ ...t, policy }));
  const groups =
    settings.environment === 'shared'
      ? [plan]
      : Array.from({ length: settings.repeat }, (_, r) => plan.filter((t) => t.repeat === r + 1));
  for (const trials of groups) await runEnvironment(policy, trials, records, startedAt);
}

async function main(): Promise<void> {
  // the benches' own Kafka and Neo4j (never the demo's), started when they are not running
  ensureInfra();
  // pinned Prometheus and Alertmanager, built once from the Go module proxy (cached afterwards)
  if (settings.alerting === 'prometheus')
    execFileSync(process.execPath, [join(__dirname, '..', 'infra', 'local', 'go-tools.mjs')], {
      stdio: 'inherit',
    });
  process.stdout.write(`alerting: ${settings.alerting}; results in ${settings.outDir}\n`);
  const startedAt = new Date();
  const records: FaultRecord[] = [];
  // the faults so far are written first, then the loop (and the shop it runs) stops
  stopOnSignal(async () => {
    if (records.length > 0) write(records, startedAt, false);
    await running?.stop();
  }, 'stopping the loop; the faults so far are written');
  for (const policy of settings.policies) await runPolicy(policy, records, startedAt);
  write(records, startedAt, true);
  for (const s of summariseAll(records))
    process.stdout.write(
      `${s.policy.padEnd(10)} ${s.family.padEnd(20)} healed ${s.healed}/${s.faults} (${s.healedWithoutHuman} without a human, ${s.healedWithApproval} with an approval), escalated ${s.escalated}, approval wait ${fmt(s.approvalWaitTotalS)} s, MTTR ${fmt(s.mttrMedianS)} s (${fmt(s.mttrExcludingApprovalMedianS)} s without approval), harmful ${s.harmful}, wrong targets ${s.wrongTargets}\n`,
    );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:loop: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
