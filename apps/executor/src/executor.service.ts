import { readFileSync } from 'node:fs';
import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { KeyObject } from 'node:crypto';
import { AlertPolicyState, maintenanceOfTarget } from '@vigil/alert-policy';
import { ed25519PublicKeyFromFile } from '@vigil/config';
import {
  configChangeEvent,
  decodeEvent,
  releaseEvent,
  Topics,
  type IncidentAction,
  type IncidentEvent,
  type EntityKind,
  type ReleaseKind,
  type TopologyEvent,
  type RemediationDecision,
  type RemediationExecution,
  type RemediationPlan,
} from '@vigil/contracts';
import { TopologyRepository } from '@vigil/graph';
import {
  DEFAULT_POLICY,
  parsePolicy,
  type CircuitSnapshot,
  type GuardrailPolicy,
} from '@vigil/guardrails';
import {
  ContractConsumer,
  EventPublisher,
  KAFKA,
  readTopicToEnd,
  ServiceLease,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import {
  checkDecision,
  decisionRefusedEvent,
  executionRecords,
  planContentHash,
  planExpired,
  guardrailHistory,
  planHalt,
  planRefusedEvent,
  planRetainMs,
  rebuild,
  rebuildCircuit,
  rebuildRuns,
  recordCircuit,
  runForgettable,
  stalledRetryDelayMs,
  type Halt,
  type IncidentStanding,
  type PlanRun,
} from '@vigil/remediation-engine';
import { ConfigRevisions } from '@vigil/executor-adapters';
import { loadAdapters, type LoadedAdapters } from './adapters-file';
import type { ExecutorSettings } from './executor.config';
import { drivePlan, planGuardrails } from './plan-driver';

/** How often plans waiting for a decision are looked at again, so an expired one ends. */
const EXPIRY_SWEEP_MS = 60_000;

/**
 * Plans and decisions in, guarded steps out, every fact on vigil.remediation.executions.v1. The
 * state of every plan is its audit trail: read back in full at start, so a killed executor goes
 * on where the trail ends (the engine re-sends an unfinished step with the same idempotency key).
 */
@Injectable()
export class ExecutorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;
  private adapters?: LoadedAdapters;
  /** One active executor per environment; the others stand by (EXECUTOR_LEASE). */
  private lease?: ServiceLease;
  private working = false;

  /** The local-process adapter, when the executor runs processes itself. */
  get localProcesses(): LoadedAdapters['local'] {
    return this.adapters?.local;
  }
  private policy: GuardrailPolicy = DEFAULT_POLICY;
  /** Maintenance windows (vigil.alert-policy.v1): no change runs on a target under one. */
  private alertPolicy = new AlertPolicyState();
  private readonly plans = new Map<string, RemediationPlan>();
  private readonly trails = new Map<string, RemediationExecution[]>();
  private readonly decisions = new Map<string, RemediationDecision[]>();
  private readonly runs = new Map<string, PlanRun>();
  /** The content hash of the first version of every plan: the one that counts. */
  private readonly hashes = new Map<string, string>();
  /** Later versions of a plan id with other content, to refuse on the audit trail. */
  private readonly altered = new Map<string, RemediationPlan[]>();
  private readonly incidents = new Map<string, IncidentStanding & { at: number }>();
  private readonly unsignedWarned = new Set<string>();
  private decisionKeys: ReadonlyMap<string, KeyObject> = new Map();
  private circuit?: CircuitSnapshot;
  private queue: Promise<void> = Promise.resolve();
  private sweep?: NodeJS.Timeout;
  private configWatch?: NodeJS.Timeout;
  private readonly configRevisions = new ConfigRevisions();
  /** Plans whose last drive failed with an error: driven again after a backoff. */
  private readonly stalled = new Map<string, { failures: number; timer?: NodeJS.Timeout }>();
  private stopped = false;

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly settings: ExecutorSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(TopologyRepository) private readonly repository: TopologyRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.policyFile)
      this.policy = parsePolicy(JSON.parse(readFileSync(this.settings.policyFile, 'utf8')));
    this.decisionKeys = new Map(
      this.settings.decisionKeys.map((k) => [k.keyId, ed25519PublicKeyFromFile(k.file)]),
    );
    if (this.decisionKeys.size === 0)
      this.logger.warn?.(
        'no decision keys (EXECUTOR_DECISION_KEYS): unsigned decisions count (local development only)',
        'ExecutorService',
      );
    this.adapters = loadAdapters(this.settings.adaptersFile, {
      dir: this.settings.ledgerDir,
      owner: this.settings.group,
    });
    await this.publisher.connect();
    if (!this.settings.lease) return this.activate();
    this.lease = new ServiceLease(this.kafka, {
      name: `executor/${this.settings.environment}`,
      groupId: `${this.settings.group}.lease`,
      publisher: this.publisher,
      logger: this.logger,
      sessionTimeoutMs: this.settings.leaseSessionTimeoutMs,
      onChange: (active) => (active ? this.activate() : this.deactivate()),
    });
    await this.lease.start();
  }

  /** Whether this instance holds the lease and runs plans (a standby answers health checks only). */
  get active(): boolean {
    return this.working;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    // Stop working before leaving the lease, so the standby never overlaps with this instance.
    await this.deactivate();
    await this.lease?.stop();
  }

  /** Holding the lease: read the trail back, then consume plans and decisions. */
  private async activate(): Promise<void> {
    if (this.working || this.stopped) return;
    this.working = true;
    const leftovers = await this.adapters?.local?.start();
    if (leftovers)
      this.logger.warn?.(
        { msg: 'stopped the service processes a killed executor had left running', leftovers },
        'ExecutorService',
      );
    await this.readBack();
    this.consumer = new ContractConsumer(this.kafka, {
      groupId: this.settings.group,
      subscriptions: [
        subscription(Topics.remediationPlans, async (plan) => this.onPlan(plan)),
        subscription(Topics.remediationDecisions, async (decision) => this.onDecision(decision)),
        subscription(Topics.incidents, async (event) => this.onIncident(event)),
        subscription(Topics.incidentActions, async (action) => this.onIncidentAction(action)),
        subscription(Topics.alertPolicy, async (event) => void this.alertPolicy.apply(event)),
      ],
      publisher: this.publisher,
      logger: this.logger,
      fromBeginning: false,
    });
    await this.consumer.start();
    for (const planId of this.plans.keys()) this.schedule(planId);
    this.sweep = setInterval(() => {
      this.scheduleExpired();
      this.forgetEnded(Date.now());
    }, EXPIRY_SWEEP_MS);
    this.sweep.unref();
    this.watchConfigs();
  }

  /** The config versions of the services run here, looked at so that a change is told. */
  private watchConfigs(): void {
    const local = this.adapters?.local;
    if (!local) return;
    this.configRevisions.observe(local.configVersions());
    this.configWatch = setInterval(() => {
      const moved = this.configRevisions.observe(local.configVersions());
      for (const { target, to } of moved)
        void this.announceConfig(target, to, 'change').catch((error: unknown) =>
          this.logger.warn?.(
            { msg: 'config change not announced', target, error: String(error) },
            'ExecutorService',
          ),
        );
    }, this.settings.configWatchIntervalMs);
    this.configWatch.unref();
  }

  /**
   * The lease went elsewhere (or this instance stops): no new drive starts, the one under way
   * ends, and the state goes, to be read back from the trail if the lease comes back.
   */
  private async deactivate(): Promise<void> {
    if (!this.working) return;
    this.working = false;
    clearInterval(this.sweep);
    clearInterval(this.configWatch);
    for (const { timer } of this.stalled.values()) clearTimeout(timer);
    this.stalled.clear();
    await this.consumer?.stop();
    this.consumer = undefined;
    await this.queue;
    await this.adapters?.local?.shutdown();
    for (const map of [this.plans, this.trails, this.decisions, this.runs, this.hashes])
      map.clear();
    this.altered.clear();
    this.incidents.clear();
    this.unsignedWarned.clear();
    this.circuit = undefined;
    this.alertPolicy = new AlertPolicyState();
  }

  /** The plans, decisions and audit trail so far: where every plan stands. */
  private async readBack(): Promise<void> {
    await readTopicToEnd(this.kafka, Topics.remediationExecutions.name, (m) => {
      const decoded = decodeEvent(Topics.remediationExecutions, m.value);
      if (decoded.ok) this.append(decoded.value);
    });
    await readTopicToEnd(this.kafka, Topics.remediationPlans.name, (m) => {
      const decoded = decodeEvent(Topics.remediationPlans, m.value);
      if (decoded.ok) this.storePlan(decoded.value);
    });
    await readTopicToEnd(this.kafka, Topics.remediationDecisions.name, (m) => {
      const decoded = decodeEvent(Topics.remediationDecisions, m.value);
      if (decoded.ok) this.storeDecision(decoded.value);
    });
    await readTopicToEnd(this.kafka, Topics.incidents.name, (m) => {
      const decoded = decodeEvent(Topics.incidents, m.value);
      if (decoded.ok) this.storeIncident(decoded.value);
    });
    await readTopicToEnd(this.kafka, Topics.alertPolicy.name, (m) => {
      const decoded = decodeEvent(Topics.alertPolicy, m.value);
      if (decoded.ok) this.alertPolicy.apply(decoded.value);
    });
    await readTopicToEnd(this.kafka, Topics.incidentActions.name, (m) => {
      const decoded = decodeEvent(Topics.incidentActions, m.value);
      if (decoded.ok) this.storeIncidentAction(decoded.value);
    });
    const events = [...this.trails.values()].flat();
    this.circuit = rebuildCircuit(events, this.policy.circuitBreaker, this.settings.environment);
    // The rate limits, concurrency and blast radius count every plan on the trail, so a restart
    // (or a crash loop) does not reset them.
    const served = [...this.plans.values()].filter((plan) => this.serves(plan));
    for (const [planId, run] of rebuildRuns(served, events, this.settings.environment))
      this.runs.set(planId, run);
    this.forgetEnded(Date.now());
    this.logger.log(
      { msg: 'audit trail read back', plans: this.plans.size, runs: this.runs.size },
      'ExecutorService',
    );
  }

  private append(event: RemediationExecution): void {
    const trail = this.trails.get(event.planId) ?? [];
    if (!trail.some((e) => e.eventId === event.eventId)) trail.push(event);
    this.trails.set(event.planId, trail);
  }

  private storeDecision(decision: RemediationDecision): void {
    const list = this.decisions.get(decision.planId) ?? [];
    if (!list.some((d) => d.decisionId === decision.decisionId)) list.push(decision);
    this.decisions.set(decision.planId, list);
  }

  /**
   * The first version of a plan id wins, live and on replay alike (the topic is read in order):
   * a later one with the same content is a redelivery, one with other content is refused.
   */
  private storePlan(plan: RemediationPlan): void {
    const hash = planContentHash(plan);
    const first = this.hashes.get(plan.planId);
    if (first === undefined) {
      this.plans.set(plan.planId, plan);
      this.hashes.set(plan.planId, hash);
    } else if (first !== hash) {
      const list = this.altered.get(plan.planId) ?? [];
      if (!list.some((p) => planContentHash(p) === hash)) list.push(plan);
      this.altered.set(plan.planId, list);
    }
  }

  private onPlan(plan: RemediationPlan): void {
    // A plan forgotten after it ended may be delivered again: one older than the retention is
    // not run again (it would have expired long ago anyway).
    const tooOld = Date.parse(plan.createdAt) < Date.now() - this.retainMs();
    if (tooOld && !this.plans.has(plan.planId)) {
      this.logger.warn?.(
        { msg: 'plan older than the retention ignored', planId: plan.planId },
        'ExecutorService',
      );
      return;
    }
    this.storePlan(plan);
    this.schedule(plan.planId);
  }

  private onDecision(decision: RemediationDecision): void {
    this.storeDecision(decision);
    this.schedule(decision.planId);
  }

  /** The correlator resolves an incident, or opens it again when its alerts come back. */
  private storeIncident(event: IncidentEvent): void {
    if (event.type === 'merged') return;
    const closed = event.type === 'resolved';
    const why = 'resolved by the correlator: its alerts cleared';
    this.setIncident(event.incidentId, closed, Date.parse(event.at), why, false);
  }

  /** A person resolves it from the console, Slack or the API; acknowledging changes no plan. */
  private storeIncidentAction(action: IncidentAction): void {
    if (action.action !== 'resolve') return;
    const why = `resolved by ${action.by.displayName ?? action.by.user} (${action.via})`;
    this.setIncident(action.incidentId, true, Date.parse(action.at), why, true);
  }

  private setIncident(
    incidentId: string,
    closed: boolean,
    at: number,
    why: string,
    byPerson: boolean,
  ): void {
    const known = this.incidents.get(incidentId);
    if (known && known.at > at) return;
    this.incidents.set(incidentId, { closed, at, byPerson, ...(closed ? { why } : {}) });
  }

  private onIncident(event: IncidentEvent): void {
    this.storeIncident(event);
    this.scheduleIncident(event.incidentId);
  }

  private onIncidentAction(action: IncidentAction): void {
    this.storeIncidentAction(action);
    this.logger.log(
      { msg: `incident ${action.action}d`, incidentId: action.incidentId, by: action.by.user },
      'ExecutorService',
    );
    this.scheduleIncident(action.incidentId);
  }

  /** Resolving an incident ends its pending plans: each is driven once more, and halts. */
  private scheduleIncident(incidentId: string): void {
    for (const plan of this.plans.values())
      if (plan.incidentId === incidentId && !this.runs.get(plan.planId)?.ended)
        this.schedule(plan.planId);
  }

  private scheduleExpired(): void {
    const ttlMs = this.policy.planTtlSeconds * 1000;
    for (const plan of this.plans.values())
      if (!this.runs.get(plan.planId)?.ended && planExpired(plan.createdAt, Date.now(), ttlMs))
        this.schedule(plan.planId);
  }

  /** One plan at a time: the guardrails' limits count what the previous one did. */
  private schedule(planId: string): void {
    this.queue = this.queue.then(() =>
      this.drive(planId).then(
        () => this.unstall(planId),
        (error: unknown) => this.stall(planId, error),
      ),
    );
  }

  /** A drive that failed (Kafka, an adapter or Neo4j down) is tried again on a timer. */
  private stall(planId: string, error: unknown): void {
    this.logger.error(error, 'ExecutorService');
    const known = this.stalled.get(planId);
    clearTimeout(known?.timer);
    const failures = (known?.failures ?? 0) + 1;
    if (!this.working || !this.plans.has(planId)) return void this.stalled.delete(planId);
    const delayMs = stalledRetryDelayMs(failures, this.settings.stalledRetryMs);
    const timer = setTimeout(() => this.schedule(planId), delayMs);
    timer.unref();
    this.stalled.set(planId, { failures, timer });
    this.logger.warn?.(
      { msg: 'plan stalled, retried later', planId, failures, delayMs },
      'ExecutorService',
    );
  }

  private unstall(planId: string): void {
    clearTimeout(this.stalled.get(planId)?.timer);
    this.stalled.delete(planId);
  }

  private retainMs(): number {
    return planRetainMs(this.policy, this.settings.planRetainMs);
  }

  /** Plans that ended longer ago than the retention, and old plans for other executors, go. */
  private forgetEnded(now: number): void {
    const retainMs = this.retainMs();
    for (const [planId, plan] of this.plans) {
      const run = this.runs.get(planId);
      const old = Date.parse(plan.createdAt) < now - retainMs;
      if (run ? runForgettable(run, now, retainMs) : old && !this.serves(plan)) this.forget(planId);
    }
    const planned = new Set([...this.plans.values()].map((p) => p.incidentId));
    for (const [incidentId, standing] of this.incidents)
      if (!planned.has(incidentId) && standing.at < now - retainMs)
        this.incidents.delete(incidentId);
  }

  private forget(planId: string): void {
    for (const decision of this.decisions.get(planId) ?? [])
      this.unsignedWarned.delete(decision.decisionId);
    for (const map of [
      this.plans,
      this.trails,
      this.decisions,
      this.runs,
      this.hashes,
      this.altered,
    ])
      map.delete(planId);
    this.unstall(planId);
  }

  /** Executors of other environments read the same topic: a plan is this one's if it can reach a target. */
  private serves(plan: RemediationPlan): boolean {
    const router = this.adapters?.router;
    return router !== undefined && plan.steps.some((step) => router.serves(step.target));
  }

  private async drive(planId: string): Promise<void> {
    const plan = this.plans.get(planId);
    const adapters = this.adapters;
    if (!plan || !adapters) return;
    // Executors of other environments read the same topic: a plan none of whose targets this one
    // can reach is theirs, and denying it here would abort it for them.
    if (!this.serves(plan)) {
      this.logger.debug?.(
        { msg: 'not a plan for this executor: no adapter serves its targets', planId },
        'ExecutorService',
      );
      return;
    }
    await this.refuseAltered(plan);
    await this.refuseDecisions(plan);
    const start = this.runs.get(planId) ?? rebuild(plan, this.trails.get(planId) ?? []);
    if (start.ended) return;
    const halt = await this.haltOf(plan, start);
    const run = await drivePlan(plan, start, {
      adapter: adapters.router,
      policy: this.policy,
      environment: this.settings.environment,
      knownTarget: async (target) => (await this.repository.findEntity(target)) !== undefined,
      history: (current) => [
        ...guardrailHistory([...this.runs.values()].filter((r) => r.planId !== planId)),
        ...executionRecords(current),
      ],

      circuit: () => this.circuit ?? rebuildCircuit([], this.policy.circuitBreaker),
      // read again at every command: a reject that arrives while the plan runs stops it
      decisions: () => this.countedDecisions(plan),
      maintenanceOf: (target) => maintenanceOfTarget(this.alertPolicy, target, Date.now()),
      halt,
      publish: (events) => this.publish(events),
      verifyDeadlineMs: this.settings.verifyDeadlineMs,
      thresholds: {
        errorRate: this.settings.errorRateLimit,
        latencyMs: this.settings.latencyLimitMs,
      },
      now: () => Date.now(),
    });
    this.runs.set(planId, run);
  }

  /** Expired, incident resolved, or (before its first step) refused by the plan guardrails. */
  private async haltOf(plan: RemediationPlan, start: PlanRun): Promise<Halt | undefined> {
    const ttlMs = this.policy.planTtlSeconds * 1000;
    const wentLive = Object.values(start.facts).some((f) => f.apply !== undefined);
    const incident = this.incidents.get(plan.incidentId);
    const halt = planHalt(plan, Date.now(), ttlMs, incident, wentLive);
    if (halt) return halt;
    const untouched = Object.values(start.facts).every((f) => f.verdicts.length === 0);
    if (!untouched) return undefined;
    return planGuardrails(plan, {
      policy: this.policy,
      environment: this.settings.environment,
      describe: (target) => this.describeKnown(target),
      history: guardrailHistory(this.runs.values()),
      circuit: this.circuit ?? rebuildCircuit([], this.policy.circuitBreaker),
      now: Date.now(),
    });
  }

  private async describeKnown(target: string) {
    if ((await this.repository.findEntity(target)) === undefined) return undefined;
    try {
      return await this.adapters?.router.describe(target);
    } catch {
      return undefined;
    }
  }

  /** Every other version of the plan id, refused once on the audit trail. */
  private async refuseAltered(plan: RemediationPlan): Promise<void> {
    const kept = this.hashes.get(plan.planId) ?? planContentHash(plan);
    const events = (this.altered.get(plan.planId) ?? []).map((other) =>
      planRefusedEvent(
        {
          plan,
          code: 'altered-plan',
          reason: `plan ${plan.planId} arrived again with other content; the first version stands`,
          at: Date.now(),
        },
        planContentHash(other),
        kept,
      ),
    );
    await this.publishNew(events);
  }

  /**
   * The plan's decisions that hold: signed by a known key over this plan's content (any decision,
   * when no keys are configured). The others are refused on the audit trail by refuseDecisions.
   */
  private countedDecisions(plan: RemediationPlan): RemediationDecision[] {
    return (this.decisions.get(plan.planId) ?? []).filter((decision) => {
      const check = checkDecision(decision, plan, this.decisionKeys);
      if (check.ok && !check.verified) this.warnUnsigned(decision);
      return check.ok;
    });
  }

  /** Every decision that does not hold, refused once on the audit trail with its reason. */
  private async refuseDecisions(plan: RemediationPlan): Promise<void> {
    const refusals = (this.decisions.get(plan.planId) ?? []).flatMap((decision) => {
      const check = checkDecision(decision, plan, this.decisionKeys);
      if (check.ok) return [];
      const refusal = { plan, code: check.code, reason: check.reason, at: Date.now() };
      return [decisionRefusedEvent(refusal, decision.decisionId)];
    });
    await this.publishNew(refusals);
  }

  private warnUnsigned(decision: RemediationDecision): void {
    if (this.unsignedWarned.has(decision.decisionId)) return;
    this.unsignedWarned.add(decision.decisionId);
    this.logger.warn?.(
      {
        msg: 'decision counted without a signature check: no decision keys configured',
        decisionId: decision.decisionId,
        planId: decision.planId,
      },
      'ExecutorService',
    );
  }

  /** Refusals already on the trail (before a restart too) are not published again. */
  private async publishNew(events: RemediationExecution[]): Promise<void> {
    const fresh = events.filter(
      (e) => !(this.trails.get(e.planId) ?? []).some((t) => t.eventId === e.eventId),
    );
    if (fresh.length > 0) await this.publish(fresh);
  }

  /**
   * Tells the graph which version a target runs now and since when, after a deploy through the
   * platform API or a rollback by a plan: root-cause analysis reads a recent deploy as the likely
   * cause of a new failure (and a rollback as not one).
   */
  async announceRelease(target: string, kind: ReleaseKind): Promise<void> {
    const adapters = this.adapters;
    if (!adapters) return;
    const state = await adapters.router.describe(target);
    const version = state.version;
    if (!version) return;
    await this.tellGraph(target, (fact) => releaseEvent({ ...fact, version, kind }));
  }

  /** Publishes a fact about `target` (a release, a config change) if the graph knows the entity. */
  private async tellGraph(
    target: string,
    event: (fact: {
      entityId: string;
      entityKind: EntityKind;
      at: Date;
      source: string;
    }) => TopologyEvent,
  ): Promise<boolean> {
    const entity = await this.repository.findEntity(target);
    if (!entity?.kind) return false;
    const source = `executor/${this.settings.environment}`;
    const fact = { entityId: target, entityKind: entity.kind, at: new Date(), source };
    await this.publisher.publish(Topics.topology, event(fact));
    return true;
  }

  /**
   * Tells the graph that `version` is the target's config from now on: a change someone made, or
   * a rollback by a plan (which root-cause analysis does not take as a cause).
   */
  async announceConfig(
    target: string,
    version: number,
    kind: 'change' | 'rollback',
  ): Promise<void> {
    const told = await this.tellGraph(target, (fact) =>
      configChangeEvent({ ...fact, version, kind }),
    );
    if (told)
      this.logger.log?.(
        { msg: 'config change announced', target, version, kind },
        'ExecutorService',
      );
  }

  /** A rollback step that went through is a release (or a config version) too. */
  private async announceRollbacks(events: readonly RemediationExecution[]): Promise<void> {
    for (const event of events) {
      if (event.type !== 'step-succeeded' || event.detail['mode'] !== 'live') continue;
      const step = this.plans.get(event.planId)?.steps.find((s) => s.stepId === event.stepId);
      if (step?.action === 'rollback-config') await this.announceConfigRollback(step.target);
      if (step?.action !== 'rollback-deployment') continue;
      await this.announceRelease(step.target, 'rollback').catch((error: unknown) =>
        this.logger.warn?.(
          { msg: 'release not announced', error: String(error) },
          'ExecutorService',
        ),
      );
    }
  }

  private async announceConfigRollback(target: string): Promise<void> {
    try {
      const version = (await this.adapters?.router.describe(target))?.configVersion;
      if (version === undefined) return;
      this.configRevisions.expect(target, version);
      await this.announceConfig(target, version, 'rollback');
    } catch (error) {
      this.logger.warn?.(
        { msg: 'config rollback not announced', target, error: String(error) },
        'ExecutorService',
      );
    }
  }

  /** Audit first: an event is on Kafka before the state it describes is acted upon. */
  private async publish(events: RemediationExecution[]): Promise<void> {
    const circuit = recordCircuit(
      this.circuit ?? rebuildCircuit([]),
      events,
      this.policy.circuitBreaker,
    );
    const all = [...events, ...circuit.events];
    await this.publisher.publishMany(Topics.remediationExecutions, all);
    for (const event of all) this.append(event);
    this.circuit = circuit.circuit;
    await this.announceRollbacks(events);
    for (const event of all)
      this.logger.log(
        { msg: 'audit', planId: event.planId, type: event.type, stepId: event.stepId },
        'ExecutorService',
      );
  }
}
