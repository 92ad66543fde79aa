import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka, KafkaMessage } from 'kafkajs';
import {
  decodeEvent,
  Topics,
  topologyFileSchema,
  topologyFileToEvents,
  type IncidentEvent,
  type RcaResult,
  type RemediationExecution,
  type RemediationPlan,
} from '@vigil/contracts';
import {
  shopAdaptersFile,
  shopFromBuild,
  shopFromSource,
  shopServices,
  shopTopology,
} from '@vigil/demo-shop';
import { LoadGenerator } from '@vigil/demo-shop-client';
import { hashPassword } from '@vigil/access';
import { shopAlertThresholds } from '@vigil/alert-rules';
import type { GraphTestScope, TopologyRepository } from '@vigil/graph';
import { startGroupAtEnd } from './group-offsets';
import { collectFromTopic, readTopic, testKafkaBrokers } from './kafka-test-kit';
import {
  freePort,
  requireMonitoringBinaries,
  scrapeTargets,
  startMonitoringStack,
  topologyIdLabel,
  type MonitoringStack,
  type MonitoringStackOptions,
} from './monitoring-stack';
import { projectRoot } from './project-root';
import { startProcess, type ServiceProcess } from './service-process';
import { waitFor } from './wait-for';
import { runOtlpTopics } from './otlp-topics';

/**
 * Where the loop's alerts come from. `prometheus`: real Prometheus scrapes the shop's /metrics and
 * evaluates infra/demo/prometheus/shop-alert-rules.yml, real Alertmanager posts to ingest, and RCA
 * reads that Prometheus too (what `npm run demo` runs). `ruler`: apps/ruler, Vigil's built-in
 * evaluator over vigil.metrics.v1, posts to ingest (`npm run demo -- --alerting ruler`).
 */
export type LoopAlerting = 'prometheus' | 'ruler';

export function parseAlerting(value: string): LoopAlerting {
  if (value === 'prometheus' || value === 'ruler') return value;
  throw new Error(`--alerting: ${value}; use prometheus or ruler`);
}

/** Where one closed loop lives, so a test, a benchmark and a running demo never share ports. */
export interface ClosedLoopOptions {
  runId: string;
  /** Vigil's ports are portBase+1 (ingest) .. portBase+12 (ruler). */
  portBase: number;
  /** Added to the shop's ports (4200-4299 at 0). */
  shopPortOffset: number;
  rps: number;
  /** More environment for the all-in-one process. */
  env?: Record<string, string>;
  /**
   * Vigil and the shop from the build in dist/ (what users run; the caller builds first), not
   * from the source through ts-node: no compiling at each start, and about half the memory per
   * process (bench/results/startup.json).
   */
  compiled?: boolean;
  /**
   * The guardrail policy the executor runs: `demo` (infra/demo/guardrail-policy.json: everything
   * unattended) or `production` (the built-in default: every change waits for a signed approval;
   * docs/production-policy.md). Default `demo`.
   */
  policy?: 'demo' | 'production';
  /** Default `ruler`, what the loop ran before Prometheus was in it. */
  alerting?: LoopAlerting;
  /**
   * With `prometheus`: Prometheus's scrape and rule evaluation interval, in seconds. Default 5,
   * the demo's (infra/demo/prometheus/prometheus.yml).
   */
  monitoringIntervalS?: number;
}

/**
 * The loop's console under the production policy: where it answers, and the one approver who may
 * sign in to it. Its decisions are signed with a key made for the loop, the only one the loop's
 * executor trusts.
 */
export interface LoopConsole {
  url: string;
  approver: { username: string; password: string };
}

export interface ClosedLoop {
  prefix: string;
  svc: (name: string) => string;
  executor: { url: string; token: string };
  shop: { prefix: string; portOffset: number };
  load: LoadGenerator;
  vigil: ServiceProcess;
  policy: 'demo' | 'production';
  alerting: LoopAlerting;
  /** With `prometheus` alerting: Prometheus and Alertmanager, which `stop()` stops too. */
  monitoring?: MonitoringStack;
  /** Under the production policy: the console, whose decisions are the only ones that count. */
  console?: LoopConsole;
  /** One data dir per shop service below it (docs/faults.md), fresh for each loop. */
  dataRoot: string;
  stop(): Promise<void>;
}

/**
 * Vigil in one process (apps/all-in-one) watching and healing a demo shop it runs itself, with
 * traffic on the shop, and with `prometheus` alerting Prometheus and Alertmanager in temporary
 * folders on free ports: what `npm run demo`, the end-to-end tests and the loop benchmark share.
 */
export async function startClosedLoop(
  kafka: Kafka,
  /** The shop's entities carry the scope's prefix; closing the scope removes them. */
  graph: GraphTestScope,
  options: ClosedLoopOptions,
): Promise<ClosedLoop> {
  const brokers = testKafkaBrokers();
  const alerting = options.alerting ?? 'ruler';
  if (alerting === 'prometheus') requireMonitoringBinaries();
  const prefix = graph.prefix;
  // Neo4j and Kafka first: when they fail, nothing is left on disk
  await importTopology(graph.topology, prefix);
  const groups = consumerGroups(options.runId, alerting);
  // the first creates any topic missing; the others then only commit their offsets, side by side
  const [first, ...others] = [...Object.values(groups), `${groups.CORRELATOR_GROUP}-router`];
  await startGroupAtEnd(kafka, first);
  await Promise.all(others.map((group) => startGroupAtEnd(kafka, group)));
  const dir = mkdtempSync(join(tmpdir(), 'vigil-loop-'));
  const token = `loop-admin-${options.runId}-0123456789`;
  const ingestToken = `loop-ingest-${options.runId}-0123456789`;
  // faults a restart cannot cure are held in the services' data dirs: a new loop starts clean
  const dataRoot = join(dir, 'data');
  mkdirSync(dataRoot);
  // with Prometheus, the executor keeps a file_sd file of the live instances for it to scrape
  const targetsDir = join(dir, 'targets');
  const otlpTopics = runOtlpTopics(options.runId);
  const adapters = shopAdaptersFile({
    ...(options.compiled ? shopFromBuild(projectRoot) : shopFromSource(projectRoot)),
    env: { KAFKA_BROKERS: brokers, ...otlpTopics.shop },
    prefix,
    portOffset: options.shopPortOffset,
    dataRoot,
  });
  const scrape = alerting === 'prometheus' && { scrapeTargetsFile: join(targetsDir, 'shop.json') };
  writeFileSync(
    join(dir, 'adapters.json'),
    JSON.stringify({ localProcess: { ...adapters.localProcess, ...scrape } }),
  );
  const policy = options.policy ?? 'demo';
  const p = (n: number) => String(options.portBase + n);
  const { env: policyEnv, console: loopConsole } = await policyEnvironment(policy, dir, p(10));
  // known before Vigil starts, for RCA; Prometheus itself starts once the shop is up
  const prometheusPort = alerting === 'prometheus' ? await freePort() : undefined;
  // with Prometheus alerting, every alert comes through Alertmanager: no ruler, as in the demo
  const apps = ['topology-sync', 'model-gateway', 'correlator', 'signals', 'rca', 'planner'];
  apps.push('executor', 'ingest');
  if (alerting === 'ruler') apps.push('ruler');
  if (loopConsole) apps.push('console');
  const logs = join(projectRoot, '.vigil', 'test-artifacts', `loop-${options.runId}-`);
  const vigil = await startProcess(
    'all-in-one',
    options.compiled
      ? [join(projectRoot, 'dist', 'apps', 'all-in-one', 'src', 'main.js')]
      : [
          join(projectRoot, 'node_modules', 'ts-node', 'dist', 'bin.js'),
          join('apps', 'all-in-one', 'src', 'main.ts'),
        ],
    {
      ...groups,
      ALL_IN_ONE_APPS: apps.join(','),
      LOG_LEVEL: 'warn',
      INGEST_PORT: p(1),
      CORRELATOR_PORT: p(2),
      TOPOLOGY_SYNC_PORT: p(4),
      RCA_PORT: p(5),
      SIGNALS_PORT: p(6),
      MODEL_GATEWAY_PORT: p(7),
      PLANNER_PORT: p(8),
      EXECUTOR_PORT: p(9),
      INGEST_TOKENS: ingestToken,
      CORRELATOR_START_AT: 'latest',
      CORRELATOR_TOPOLOGY_REFRESH_MS: '3000',
      SIGNALS_START_AT: 'latest',
      SIGNALS_LOG_WARMUP_MS: '30000',
      ...otlpTopics.signals,
      RCA_START_AT: 'latest',
      RCA_INTERVAL_MS: '2000',
      // the shop is minutes old: a longer lead would start the anomalous period before its data
      RCA_LEAD_MS: '60000',
      // the shop reports every 2 s: ten points in a row are a change, not a spike
      RCA_SUSTAIN_MS: '20000',
      PLANNER_START_AT: 'latest',
      OPENAI_BASE_URL: `http://127.0.0.1:${p(7)}/v1`,
      VIGIL_LLM_TIMEOUT_MS: '20000',
      ...policyEnv,
      // verified well by the numbers the shop's alert rules call well
      EXECUTOR_LATENCY_LIMIT_MS: String(shopAlertThresholds.latencyP99Ms),
      EXECUTOR_ERROR_RATE_LIMIT: String(shopAlertThresholds.errorRatio),
      EXECUTOR_ADAPTERS_FILE: join(dir, 'adapters.json'),
      // the loop's own ledger, gone with its folder: never the demo's .vigil/executor-ledger
      EXECUTOR_LEDGER_DIR: join(dir, 'executor-ledger'),
      EXECUTOR_ADMIN_TOKEN: token,
      ...(prometheusPort === undefined
        ? rulerEnvironment(p, ingestToken, prefix)
        : rcaPrometheusEnvironment(prometheusPort)),
      ...options.env,
    },
    // the last app to start answers last: the ruler, else ingest (the console starts before it)
    `http://127.0.0.1:${alerting === 'ruler' ? p(12) : p(1)}/healthz`,
    240_000,
    `${logs}vigil.log`,
  ).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const load = new LoadGenerator(options.rps, options.shopPortOffset);
  load.start();
  let monitoring: MonitoringStack | undefined;
  if (prometheusPort !== undefined)
    monitoring = await startMonitoring({
      dir: join(dir, 'monitoring'),
      targetsDir,
      ingestUrl: `http://127.0.0.1:${p(1)}/api/v1/alerts/alertmanager`,
      ingestToken,
      intervalS: options.monitoringIntervalS ?? 5,
      servicePrefix: prefix,
      prometheusPort,
      logPrefix: logs,
    }).catch(async (error: unknown) => {
      load.stop();
      await vigil.stop();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    });
  return {
    prefix,
    svc: (name) => `${prefix}${name}`,
    executor: { url: `http://127.0.0.1:${p(9)}`, token },
    shop: { prefix, portOffset: options.shopPortOffset },
    load,
    vigil,
    policy,
    alerting,
    ...(monitoring && { monitoring }),
    ...(loopConsole && { console: loopConsole }),
    dataRoot,
    stop: async () => {
      load.stop();
      // Prometheus before Vigil: the shop going down with Vigil is no alert to send
      await monitoring?.stop();
      await vigil.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The loop's own consumer groups, each starting at the topics' ends: it sees only its run. */
function consumerGroups(runId: string, alerting: LoopAlerting) {
  return {
    TOPOLOGY_SYNC_GROUP: `loop-sync-${runId}`,
    CORRELATOR_GROUP: `loop-correlator-${runId}`,
    SIGNALS_GROUP: `loop-signals-${runId}`,
    RCA_GROUP: `loop-rca-${runId}`,
    PLANNER_GROUP: `loop-planner-${runId}`,
    EXECUTOR_GROUP: `loop-executor-${runId}`,
    ...(alerting === 'ruler' && { RULER_GROUP: `loop-ruler-${runId}` }),
  };
}

/** apps/ruler evaluating the shop's rules over vigil.metrics.v1, posting to the loop's ingest. */
function rulerEnvironment(
  p: (n: number) => string,
  ingestToken: string,
  prefix: string,
): Record<string, string> {
  return {
    RULER_PORT: p(12),
    RULER_INGEST_URL: `http://127.0.0.1:${p(1)}/api/v1/alerts/alertmanager`,
    RULER_INGEST_TOKEN: ingestToken,
    RULER_INTERVAL_MS: '2000',
    RULER_SERVICE_PREFIX: prefix,
  };
}

/**
 * RCA reading the loop's Prometheus, as the demo's does (RCA_PROMETHEUS_URL, job="demo-shop"),
 * with its series mapped to the topology by the label that keeps the run's prefix.
 */
function rcaPrometheusEnvironment(port: number): Record<string, string> {
  return {
    RCA_PROMETHEUS_URL: `http://127.0.0.1:${port}`,
    RCA_PROMETHEUS_MATCHERS: 'job="demo-shop"',
    RCA_PROMETHEUS_SERVICE_LABEL: topologyIdLabel,
  };
}

/**
 * Alertmanager and Prometheus from the demo's configs (test/support/monitoring-stack.ts), in the
 * loop's folder; resolves once Prometheus scrapes every shop instance, stops them if it never
 * does.
 */
async function startMonitoring(options: MonitoringStackOptions): Promise<MonitoringStack> {
  const stack = await startMonitoringStack(options);
  const instances = shopServices.reduce((n, s) => n + s.replicas, 0);
  try {
    await waitFor(
      `Prometheus to scrape all ${instances} shop instances`,
      async () =>
        (await scrapeTargets(stack, 'demo-shop')).filter((t) => t.health === 'up').length ===
        instances,
      120_000,
      1_000,
    );
  } catch (error) {
    const said = stack.output();
    await stack.stop();
    throw new Error(`${(error as Error).message}\nPrometheus and Alertmanager said:\n${said}`);
  }
  return stack;
}

/**
 * The executor's environment for a policy. Production: the built-in policy (no policy file), and
 * the console in the loop with a decision key made for it, the only key the executor trusts, and
 * one approver: approvals go through the console's API as a person's would.
 */
async function policyEnvironment(
  policy: 'demo' | 'production',
  dir: string,
  consolePort: string,
): Promise<{ env: Record<string, string>; console?: LoopConsole }> {
  if (policy === 'demo')
    return {
      env: {
        EXECUTOR_ENVIRONMENT: 'demo',
        // everything in the catalog may run unattended there: what the demo shows
        EXECUTOR_POLICY_FILE: join(projectRoot, 'infra', 'demo', 'guardrail-policy.json'),
      },
    };
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const privateFile = join(dir, 'console-decision-key.pem');
  const publicFile = join(dir, 'console-decision-key.pub.pem');
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }));
  const approver = { username: 'ann', password: `loop-approver-${randomUUID()}` };
  const usersFile = join(dir, 'console-users.json');
  writeFileSync(
    usersFile,
    JSON.stringify({
      users: [
        {
          username: approver.username,
          role: 'approver',
          passwordHash: await hashPassword(approver.password),
        },
      ],
    }),
  );
  return {
    env: {
      EXECUTOR_ENVIRONMENT: 'production',
      EXECUTOR_DECISION_KEYS: `console=${publicFile}`,
      CONSOLE_PORT: consolePort,
      CONSOLE_USERS_FILE: usersFile,
      CONSOLE_DECISION_KEY_FILE: privateFile,
      CONSOLE_DECISION_KEY_ID: 'console',
    },
    console: { url: `http://127.0.0.1:${consolePort}`, approver },
  };
}

async function importTopology(repository: TopologyRepository, prefix: string): Promise<void> {
  const file = topologyFileSchema.parse(shopTopology(prefix));
  const events = topologyFileToEvents(file, {
    source: 'closed-loop',
    occurredAt: new Date(),
    eventIdPrefix: `${prefix}topology`,
  });
  for (const event of events) await repository.apply(event);
}

/** What Vigil did about one faulty service: the diagnosis, the plan and its audit trail. */
export interface Healing {
  /** The plan that healed the service, else the last one that tried. */
  plan: RemediationPlan;
  audit: RemediationExecution[];
  /** Plans that acted on the service, in the order they ended (a failed one may be retried). */
  attempts: number;
  /**
   * Changes that failed plans left on the service, other than restarts and diagnostics (which
   * leave nothing to undo): `action@target`. What a failed remediation must not leave behind.
   */
  leftChanged: string[];
  /** The root-cause revisions of the plan's incident, oldest first. */
  rca: RcaResult[];
  /** When the first revision named the service first. */
  rightCauseAt?: number;
  completedAt: number;
  /** When the plan was drafted, and when its first step started. */
  plannedAt: number;
  actedAt?: number;
  /** Targets other than the faulty one that any plan acted on meanwhile: wrong actions. */
  otherTargets: string[];
  /** For each of those, the plan and the incident that led to it: what a failing test shows. */
  otherPlans: string[];
  /** The first incident event naming the service after the fault. */
  detectedAt?: number;
  /** Alerts that joined the plan's incident since the fault (an incident may have reopened). */
  alertsInIncident: number;
  /** Every plan that acted on the service since the fault, oldest first, with its audit events. */
  plans: RemediationPlan[];
  events: RemediationExecution[];
}

const decodedExecutions = (messages: KafkaMessage[], since: number) =>
  messages
    .map((m) => decodeEvent(Topics.remediationExecutions, m.value))
    .flatMap((d) => (d.ok && Date.parse(d.value.at) >= since ? [d.value] : []));

const isEnd = (e: RemediationExecution) => e.type === 'plan-completed' || e.type === 'plan-aborted';

/**
 * The plan that settles the fault: the first on `target` that completes, or the last that
 * aborted once `graceMs` passed with no other plan under way (a failed plan may be followed by
 * the known-good runbook).
 */
function settlingPlan(
  events: RemediationExecution[],
  target: string,
  now: number,
  graceMs: number,
): string | undefined {
  const plans = new Set(events.filter((e) => e.detail['target'] === target).map((e) => e.planId));
  const ends = events.filter((e) => plans.has(e.planId) && isEnd(e));
  const completed = ends.find((e) => e.type === 'plan-completed');
  if (completed) return completed.planId;
  const last = ends.at(-1);
  if (!last || now - Date.parse(last.at) < graceMs) return undefined;
  const ended = new Set(ends.map((e) => e.planId));
  return [...plans].every((p) => ended.has(p)) ? last.planId : undefined;
}

/**
 * Waits until a plan acting on `target` completes after `since` (or the last one aborted and
 * nothing followed it), and gathers what led to it. Rejects with what was seen when nothing
 * settles in time.
 */
export async function awaitHealing(
  kafka: Kafka,
  target: string,
  since: number,
  timeoutMs: number,
  graceMs = 60_000,
): Promise<Healing> {
  let planId: string | undefined;
  const messages = await collectFromTopic(
    kafka,
    Topics.remediationExecutions.name,
    () => true,
    (seen) => {
      planId = settlingPlan(decodedExecutions(seen, since), target, Date.now(), graceMs);
      return planId !== undefined;
    },
    timeoutMs,
    5_000,
  ).catch((error: Error) => {
    throw new Error(`no plan on ${target} settled: ${error.message}`);
  });
  if (!planId) throw new Error(`no plan on ${target} settled`);
  const events = decodedExecutions(messages, since);
  const started = events.filter((e) => e.type === 'step-started');
  const otherTargets = [
    ...new Set(started.map((e) => String(e.detail['target'])).filter((t) => t !== target)),
  ];
  const trail = events.filter((e) => e.planId === planId);
  const onTarget = new Set(
    events.filter((e) => e.detail['target'] === target).map((e) => e.planId),
  );
  const ends = events.filter((e) => onTarget.has(e.planId) && isEnd(e));
  const allPlans = (await readTopic(kafka, Topics.remediationPlans.name))
    .map((m) => decodeEvent(Topics.remediationPlans, m.value))
    .flatMap((d) => (d.ok ? [d.value] : []));
  const plans = allPlans.filter((p) => onTarget.has(p.planId));
  const plan = plans.find((p) => p.planId === planId);
  if (!plan) throw new Error(`plan ${planId} is not on ${Topics.remediationPlans.name}`);
  const allRca = (await readTopic(kafka, Topics.rca.name))
    .map((m) => decodeEvent(Topics.rca, m.value))
    .flatMap((d) => (d.ok ? [d.value] : []));
  const otherPlans = describeOtherPlans(started, target, allPlans, { since, plan, rca: allRca });
  const leftChanged = ends
    .filter((e) => e.type === 'plan-aborted')
    .flatMap((e) => {
      const steps = plans.find((p) => p.planId === e.planId)?.steps ?? [];
      const left = String(e.detail['leftInPlace'] ?? '').split(',');
      return steps
        .filter((s) => left.includes(s.stepId) && !['restart', 'run-diagnostic'].includes(s.action))
        .map((s) => `${s.action}@${s.target}`);
    });
  const rca = allRca
    .filter((r) => r.incidentId === plan.incidentId)
    .sort((a, b) => a.revision - b.revision);
  // an incident that reopened keeps its earlier revisions: only those since the fault count
  const right = rca.find(
    (r) => Date.parse(r.generatedAt) >= since && r.candidates[0]?.service === target,
  );
  const incidentEvents = (await readTopic(kafka, Topics.incidents.name))
    .map((m) => decodeEvent(Topics.incidents, m.value))
    .flatMap((d) => (d.ok && d.value.incidentId === plan.incidentId ? [d.value] : []));
  const naming = incidentEvents.filter(
    (e) => Date.parse(e.at) >= since && e.incident.services.includes(target),
  );
  const detectedAt =
    naming.length > 0 ? Math.min(...naming.map((e) => Date.parse(e.at))) : undefined;
  const ended = trail.find(isEnd);
  const firstPlan = [...plans].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))[0];
  const firstStep = events.find((e) => e.type === 'step-started' && onTarget.has(e.planId));
  return {
    plan,
    audit: trail,
    attempts: ends.length,
    leftChanged,
    rca,
    ...(right && { rightCauseAt: Date.parse(right.generatedAt) }),
    completedAt: Date.parse(ended?.at ?? new Date().toISOString()),
    plannedAt: Date.parse((firstPlan ?? plan).createdAt),
    ...(firstStep && { actedAt: Date.parse(firstStep.at) }),
    otherTargets,
    otherPlans,
    ...(detectedAt !== undefined && { detectedAt }),
    alertsInIncident: alertsSince(incidentEvents, since),
    plans: [...plans].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt)),
    events: events.filter((e) => onTarget.has(e.planId)),
  };
}

/**
 * For every plan that started a step elsewhere: the plan, when it was made (seconds after the
 * fault), whether it is of the healing plan's incident, and the leaders of its incident's rankings
 * up to then: what a failing test needs to tell a wrong diagnosis from a race between incidents.
 */
function describeOtherPlans(
  started: readonly RemediationExecution[],
  target: string,
  plans: readonly RemediationPlan[],
  context: { since: number; plan: RemediationPlan; rca: readonly RcaResult[] },
): string[] {
  const planIds = new Set(
    started.filter((e) => e.detail['target'] !== target).map((e) => e.planId),
  );
  const seconds = (iso: string) => ((Date.parse(iso) - context.since) / 1000).toFixed(1);
  const rankingsBefore = (p: RemediationPlan) =>
    context.rca
      .filter(
        (r) =>
          r.incidentId === p.incidentId &&
          Date.parse(r.generatedAt) >= context.since &&
          r.generatedAt <= p.createdAt,
      )
      .sort((a, b) => a.revision - b.revision);
  const leaders = (r: RcaResult) =>
    `+${seconds(r.generatedAt)}s ` +
    r.candidates
      .slice(0, 3)
      .map((c) => `${c.service}(${c.score.toFixed(2)})`)
      .join(' > ');
  // what the plan's fault class was read from: the leader's own evidence in the last ranking
  const evidence = (leader: RcaResult['candidates'][number] | undefined) => {
    if (!leader) return 'none';
    const { metrics, logTemplates, alerts } = leader.evidence;
    return [
      ...metrics.map((m) => `${m.metric} ${m.direction ?? ''} ${m.score.toFixed(1)}`),
      ...logTemplates.map((l) => `log ${l.pattern ?? ''} ${l.template.slice(0, 60)}`),
      ...alerts.map((a) => `alert ${a.alertname}`),
    ].join('; ');
  };
  return plans
    .filter((p) => planIds.has(p.planId))
    .map((p) => {
      const rankings = rankingsBefore(p);
      return (
        `plan ${p.planId} (${p.faultClass}) at +${seconds(p.createdAt)}s, ` +
        `${p.incidentId === context.plan.incidentId ? 'same incident as' : 'other incident than'} ` +
        `the healing plan (+${seconds(context.plan.createdAt)}s): ` +
        p.steps.map((s) => `${s.action}@${s.target}`).join(', ') +
        `; its incident's rankings: ${rankings.map(leaders).join(' | ')}; ` +
        `the leader's evidence: ${evidence(rankings.at(-1)?.candidates[0])}`
      );
    });
}

/** Distinct alerts that opened or joined the incident since `since`. */
function alertsSince(events: readonly IncidentEvent[], since: number): number {
  const fingerprints = new Set<string>();
  for (const e of events)
    if ((e.type === 'opened' || e.type === 'alert-attached') && Date.parse(e.at) >= since)
      fingerprints.add(e.fingerprint);
  return fingerprints.size;
}

/** Targets other than `target` that steps started on since `since`: wrong actions. */
export async function otherTargetsSince(
  kafka: Kafka,
  target: string,
  since: number,
): Promise<string[]> {
  const events = decodedExecutions(
    await readTopic(kafka, Topics.remediationExecutions.name),
    since,
  );
  return [
    ...new Set(
      events
        .filter((e) => e.type === 'step-started')
        .map((e) => String(e.detail['target']))
        .filter((t) => t !== target),
    ),
  ];
}

/**
 * Incidents about the run's services (names starting with `prefix`) that are still open: what a
 * loop must wait out before the next fault, or the next fault's alerts join an old incident.
 */
export async function openIncidents(kafka: Kafka, prefix: string): Promise<string[]> {
  const last = new Map<string, IncidentEvent>();
  const absorbed = new Set<string>();
  for (const message of await readTopic(kafka, Topics.incidents.name)) {
    const decoded = decodeEvent(Topics.incidents, message.value);
    if (!decoded.ok) continue;
    const event = decoded.value;
    if (!event.incident.services.some((s) => s.startsWith(prefix))) continue;
    last.set(event.incidentId, event);
    if (event.type === 'merged') absorbed.add(event.mergedIncidentId);
  }
  return [...last.values()]
    .filter((e) => e.type !== 'resolved' && !absorbed.has(e.incidentId))
    .map((e) => e.incidentId);
}

/** What Vigil did about a fault, seen from the topics, whether or not anything healed it. */
export interface LoopActivity {
  /** The first incident event naming the service since the fault. */
  detectedAt?: number;
  /** The first root-cause revision since the fault that names the service first. */
  rightCauseAt?: number;
  /** Every plan drafted since the fault on the loop's services (one fault at a time), oldest first. */
  plans: RemediationPlan[];
  /** Their audit events. */
  events: RemediationExecution[];
}

export async function loopActivity(
  kafka: Kafka,
  prefix: string,
  target: string,
  since: number,
): Promise<LoopActivity> {
  const incidents = (await readTopic(kafka, Topics.incidents.name))
    .map((m) => decodeEvent(Topics.incidents, m.value))
    .flatMap((d) => (d.ok && Date.parse(d.value.at) >= since ? [d.value] : []));
  const naming = incidents.filter((e) => e.incident.services.includes(target));
  const right = (await readTopic(kafka, Topics.rca.name))
    .map((m) => decodeEvent(Topics.rca, m.value))
    .flatMap((d) => (d.ok && Date.parse(d.value.generatedAt) >= since ? [d.value] : []))
    .filter((r) => r.candidates[0]?.service === target)
    .map((r) => Date.parse(r.generatedAt));
  const plans = (await readTopic(kafka, Topics.remediationPlans.name))
    .map((m) => decodeEvent(Topics.remediationPlans, m.value))
    .flatMap((d) =>
      d.ok &&
      Date.parse(d.value.createdAt) >= since &&
      d.value.steps.some((s) => s.target.startsWith(prefix))
        ? [d.value]
        : [],
    )
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const ids = new Set(plans.map((p) => p.planId));
  const events = decodedExecutions(
    await readTopic(kafka, Topics.remediationExecutions.name),
    since,
  ).filter((e) => ids.has(e.planId));
  return {
    ...(naming.length > 0 && { detectedAt: Math.min(...naming.map((e) => Date.parse(e.at))) }),
    ...(right.length > 0 && { rightCauseAt: Math.min(...right) }),
    plans,
    events,
  };
}
