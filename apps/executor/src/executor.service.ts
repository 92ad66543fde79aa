import { readFileSync } from 'node:fs';
import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import {
  decodeEvent,
  releaseEvent,
  Topics,
  type ReleaseKind,
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
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import {
  executionRecords,
  rebuild,
  rebuildCircuit,
  recordCircuit,
  type PlanRun,
} from '@vigil/remediation-engine';
import { loadAdapters, type LoadedAdapters } from './adapters-file';
import type { ExecutorSettings } from './executor.config';
import { drivePlan } from './plan-driver';

/**
 * Plans and decisions in, guarded steps out, every fact on vigil.remediation.executions.v1. The
 * state of every plan is its audit trail: read back in full at start, so a killed executor goes
 * on where the trail ends (the engine re-sends an unfinished step with the same idempotency key).
 */
@Injectable()
export class ExecutorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;
  private adapters?: LoadedAdapters;

  /** The local-process adapter, when the executor runs processes itself. */
  get localProcesses(): LoadedAdapters['local'] {
    return this.adapters?.local;
  }
  private policy: GuardrailPolicy = DEFAULT_POLICY;
  private readonly plans = new Map<string, RemediationPlan>();
  private readonly trails = new Map<string, RemediationExecution[]>();
  private readonly decisions = new Map<string, RemediationDecision[]>();
  private readonly runs = new Map<string, PlanRun>();
  private circuit?: CircuitSnapshot;
  private queue: Promise<void> = Promise.resolve();

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
    this.adapters = loadAdapters(this.settings.adaptersFile);
    await this.adapters.local?.start();
    await this.publisher.connect();
    await this.readBack();
    this.consumer = new ContractConsumer(this.kafka, {
      groupId: this.settings.group,
      subscriptions: [
        subscription(Topics.remediationPlans, async (plan) => this.onPlan(plan)),
        subscription(Topics.remediationDecisions, async (decision) => this.onDecision(decision)),
      ],
      publisher: this.publisher,
      logger: this.logger,
      fromBeginning: false,
    });
    await this.consumer.start();
    for (const planId of this.plans.keys()) this.schedule(planId);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.queue;
    await this.adapters?.local?.shutdown();
  }

  /** The plans, decisions and audit trail so far: where every plan stands. */
  private async readBack(): Promise<void> {
    await readTopicToEnd(this.kafka, Topics.remediationExecutions.name, (m) => {
      const decoded = decodeEvent(Topics.remediationExecutions, m.value);
      if (decoded.ok) this.append(decoded.value);
    });
    await readTopicToEnd(this.kafka, Topics.remediationPlans.name, (m) => {
      const decoded = decodeEvent(Topics.remediationPlans, m.value);
      if (decoded.ok) this.plans.set(decoded.value.planId, decoded.value);
    });
    await readTopicToEnd(this.kafka, Topics.remediationDecisions.name, (m) => {
      const decoded = decodeEvent(Topics.remediationDecisions, m.value);
      if (decoded.ok) this.storeDecision(decoded.value);
    });
    this.circuit = rebuildCircuit(
      [...this.trails.values()].flat(),
      this.policy.circuitBreaker,
      this.settings.environment,
    );
    this.logger.log({ msg: 'audit trail read back', plans: this.plans.size }, 'ExecutorService');
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

  private onPlan(plan: RemediationPlan): void {
    if (this.plans.has(plan.planId)) return;
    this.plans.set(plan.planId, plan);
    this.schedule(plan.planId);
  }

  private onDecision(decision: RemediationDecision): void {
    this.storeDecision(decision);
    this.schedule(decision.planId);
  }

  /** One plan at a time: the guardrails' limits count what the previous one did. */
  private schedule(planId: string): void {
    this.queue = this.queue
      .then(() => this.drive(planId))
      .catch((error: unknown) => this.logger.error(error, 'ExecutorService'));
  }

  private async drive(planId: string): Promise<void> {
    const plan = this.plans.get(planId);
    const adapters = this.adapters;
    if (!plan || !adapters) return;
    // Executors of other environments read the same topic: a plan none of whose targets this one
    // can reach is theirs, and denying it here would abort it for them.
    if (!plan.steps.some((step) => adapters.router.serves(step.target))) {
      this.logger.debug?.(
        { msg: 'not a plan for this executor: no adapter serves its targets', planId },
        'ExecutorService',
      );
      return;
    }
    const start = this.runs.get(planId) ?? rebuild(plan, this.trails.get(planId) ?? []);
    if (start.ended) return;
    const run = await drivePlan(plan, start, {
      adapter: adapters.router,
      policy: this.policy,
      environment: this.settings.environment,
      knownTarget: async (target) => (await this.repository.findEntity(target)) !== undefined,
      history: (current) => [
        ...[...this.runs.entries()]
          .filter(([id]) => id !== planId)
          .flatMap(([, r]) => executionRecords(r)),
        ...executionRecords(current),
      ],

      circuit: () => this.circuit ?? rebuildCircuit([], this.policy.circuitBreaker),
      decisions: () => this.decisions.get(planId) ?? [],
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

  /**
   * Tells the graph which version a target runs now and since when, after a deploy through the
   * platform API or a rollback by a plan: root-cause analysis reads a recent deploy as the likely
   * cause of a new failure (and a rollback as not one).
   */
  async announceRelease(target: string, kind: ReleaseKind): Promise<void> {
    const adapters = this.adapters;
    if (!adapters) return;
    const [entity, state] = await Promise.all([
      this.repository.findEntity(target),
      adapters.router.describe(target),
    ]);
    if (!entity?.kind || !state.version) return;
    await this.publisher.publish(
      Topics.topology,
      releaseEvent({
        entityId: target,
        entityKind: entity.kind,
        version: state.version,
        kind,
        at: new Date(),
        source: `executor/${this.settings.environment}`,
      }),
    );
  }

  /** A rollback step that went through is a release too. */
  private async announceRollbacks(events: readonly RemediationExecution[]): Promise<void> {
    for (const event of events) {
      if (event.type !== 'step-succeeded' || event.detail['mode'] !== 'live') continue;
      const step = this.plans.get(event.planId)?.steps.find((s) => s.stepId === event.stepId);
      if (step?.action !== 'rollback-deployment') continue;
      await this.announceRelease(step.target, 'rollback').catch((error: unknown) =>
        this.logger.warn?.(
          { msg: 'release not announced', error: String(error) },
          'ExecutorService',
        ),
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
