import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import {
  knownGoodRetry,
  planHeadline,
  type DraftedPlan,
  type FaultClass,
} from '@vigil/action-catalog';
import {
  Topics,
  type IncidentEvent,
  type PlanStep,
  type RcaResult,
  type RemediationExecution,
  type RemediationPlan,
} from '@vigil/contracts';
import { TopologyRepository } from '@vigil/graph';
import {
  buildRemediationPrompt,
  createOpenAiClient,
  draftRunbook,
  incidentText,
  openAiEmbedder,
  openAiJsonCompletion,
  RunbookMemory,
  type LlmClient,
  type PastRunbook,
} from '@vigil/llm';
import {
  ContractConsumer,
  EventPublisher,
  KAFKA,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import { classifyFault, DiagnosisGate, fromRcaCandidate } from '@vigil/rca';
import type { PlannerSettings } from './planner.config';
import { topologyFacts } from './topology-facts';

interface KnownIncident {
  title: string;
  services: string[];
}

/** A plan out on the plans topic, until the executor reports how it ended. */
interface Outstanding extends DraftedPlan {
  incidentId: string;
  /** Remembered as a past runbook only once it worked: a failed plan is no example to follow. */
  memory?: { vector: Float32Array | number[]; runbook: PastRunbook };
}

interface Draft {
  incidentId: string;
  target: string;
  faultClass: FaultClass;
  replicas: number;
  summary: string;
  steps: Array<Omit<PlanStep, 'stepId'>>;
  fallbackUsed: boolean;
  promptHash: string;
  similar: PastRunbook[];
}

/** Root causes in, a drafted and validated runbook out on vigil.remediation.plans.v1. */
@Injectable()
export class PlannerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;
  private readonly incidents = new Map<string, KnownIncident>();
  private readonly memory = new RunbookMemory();
  private readonly gate: DiagnosisGate;
  /** One draft at a time: a result from Kafka and a timed second look never interleave. */
  private work: Promise<void> = Promise.resolve();
  private readonly secondLooks = new Map<string, NodeJS.Timeout>();
  private readonly outstanding = new Map<string, Outstanding>();
  /** The newest ranking of each incident. */
  private readonly latest = new Map<string, RcaResult>();
  /** Incidents that resolved (or merged away) and did not reopen since. */
  private readonly ended = new Set<string>();
  // One client for the life of the service: it keeps its connections.
  private readonly client: LlmClient;

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly config: PlannerSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(TopologyRepository) private readonly repository: TopologyRepository,
  ) {
    this.client = createOpenAiClient(config.llm);
    this.gate = new DiagnosisGate({
      settleMs: config.settleMs,
      decisiveRatio: config.decisiveRatio,
      maxPlans: config.maxPlans,
      alertsOnlySettleMs: config.alertsOnlySettleMs,
      coolDownMs: config.coolDownMs,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new ContractConsumer(this.kafka, {
      groupId: this.config.group,
      subscriptions: [
        subscription(Topics.incidents, async (event) => this.observe(event)),
        subscription(Topics.rca, (result) => {
          // kept as it arrives, not when its turn comes: a draft under way is checked against it
          this.latest.set(result.incidentId, result);
          return this.serially(() => this.plan(result));
        }),
        subscription(Topics.remediationExecutions, (event) =>
          this.serially(() => this.followUp(event)),
        ),
      ],
      publisher: this.publisher,
      logger: this.logger,
      fromBeginning: this.config.startAt === 'earliest',
    });
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.secondLooks.values()) clearTimeout(timer);
    await this.consumer?.stop();
    await this.work;
  }

  private observe(event: IncidentEvent): void {
    // a merged event names the survivor; the absorbed incident ends there
    const ended =
      event.type === 'merged'
        ? event.mergedIncidentId
        : event.type === 'resolved'
          ? event.incidentId
          : undefined;
    if (event.type !== 'resolved') this.ended.delete(event.incidentId);
    if (ended) {
      this.ended.add(ended);
      this.incidents.delete(ended);
      this.latest.delete(ended);
      this.gate.forget(ended);
      clearTimeout(this.secondLooks.get(ended));
      this.secondLooks.delete(ended);
    }
    if (event.type === 'resolved') return;
    this.incidents.set(event.incidentId, {
      title: event.incident.title,
      services: event.incident.services,
    });
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const run = this.work.then(task);
    this.work = run.catch((error: unknown) => this.logger.error(error, 'PlannerService'));
    return run;
  }

  /**
   * A ranking is published only when it changes, so a diagnosis that must hold a while is looked
   * at again when that while is over, unless a newer ranking came first.
   */
  private lookAgain(result: RcaResult, inMs: number): void {
    clearTimeout(this.secondLooks.get(result.incidentId));
    const timer = setTimeout(() => {
      this.secondLooks.delete(result.incidentId);
      void this.serially(() => this.plan(result, Date.now()));
    }, inMs);
    timer.unref();
    this.secondLooks.set(result.incidentId, timer);
  }

  private async plan(result: RcaResult, askedAt?: number): Promise<void> {
    clearTimeout(this.secondLooks.get(result.incidentId));
    const verdict = this.gate.observe(result, askedAt);
    if (!verdict.act) {
      this.logger.debug?.(
        { msg: 'no plan yet', incidentId: result.incidentId, reason: verdict.reason },
        'PlannerService',
      );
      if (verdict.retryInMs !== undefined) this.lookAgain(result, verdict.retryInMs + 50);
      return;
    }
    const leading = verdict.candidate;
    const incident = this.incidents.get(result.incidentId) ?? {
      title: `incident ${result.incidentId}`,
      services: leading.path.slice(-1),
    };
    const subgraph = await this.repository.neighbourhood([leading.service], 1);
    const { facts, replicas } = topologyFacts(subgraph, leading.service);
    const faultClass = classifyFault(fromRcaCandidate(leading));
    // Past incidents are found by meaning: the same words are rare, the same story is not.
    const text = incidentText(incident.title, leading.service, faultClass, [
      ...leading.evidence.metrics.map((m) => `${m.metric} ${m.direction ?? ''}`),
      ...leading.evidence.alerts.map((a) => a.alertname),
      ...leading.evidence.logTemplates.map((l) => l.template),
    ]);
    const vector = await openAiEmbedder(this.client)(text);
    const similar = vector ? this.memory.similar(vector) : [];
    const { messages, promptHash } = buildRemediationPrompt({
      incidentTitle: incident.title,
      services: incident.services,
      rca: result,
      faultClass,
      topologyFacts: facts,
      similar,
    });
    // The neighbours are context for the model, not targets: acting on a symptom (scaling the
    // callers of a slow service) only adds changes to undo.
    const targets = [leading.service];
    const outcome = await draftRunbook(openAiJsonCompletion(this.client, this.config.llm), {
      messages,
      targets,
      faultClass,
      fallbackTarget: leading.service,
      fallbackReplicas: replicas,
      released: leading.evidence.deploys && leading.evidence.deploys.length > 0,
      budgetMs: this.config.draftBudgetMs,
    });
    if (this.ended.has(result.incidentId)) {
      // the symptoms went while the model wrote: a plan now would treat what is already well
      this.logger.log(
        { msg: 'draft dropped: the incident resolved meanwhile', incidentId: result.incidentId },
        'PlannerService',
      );
      return;
    }
    const leader = this.latest.get(result.incidentId)?.candidates[0]?.service;
    if (leader !== undefined && leader !== leading.service) {
      // the diagnosis moved while the model wrote: the plan would treat yesterday's leader
      this.logger.log(
        { msg: 'draft dropped: the diagnosis changed meanwhile', planned: leading.service, leader },
        'PlannerService',
      );
      return;
    }
    this.gate.planned(result.incidentId, leading.service);
    const summaryOf = (summary: string) => `${incident.title}: ${summary}`;
    const plan = await this.publish(
      {
        incidentId: result.incidentId,
        target: leading.service,
        faultClass,
        replicas,
        summary: outcome.summary,
        steps: outcome.steps,
        fallbackUsed: outcome.fallbackUsed,
        promptHash,
        similar,
      },
      vector && ((p) => ({ vector, runbook: { ...p, summary: summaryOf(p.summary) } })),
    );
    this.logger.log(
      {
        msg: 'plan drafted',
        planId: plan.planId,
        faultClass,
        why: verdict.reason,
        fallbackUsed: outcome.fallbackUsed,
        refusals: outcome.refusals,
      },
      'PlannerService',
    );
  }

  /**
   * The end of a plan this planner drafted: one that worked becomes an example for later drafts;
   * one that failed on its own is followed once by the catalog's known-good runbook, while the
   * incident is open (else the incident waits for a human with nothing done).
   */
  private async followUp(event: RemediationExecution): Promise<void> {
    if (event.type !== 'plan-completed' && event.type !== 'plan-aborted') return;
    const drafted = this.outstanding.get(event.planId);
    if (!drafted) return;
    this.outstanding.delete(event.planId);
    this.gate.treated(drafted.target, Date.parse(event.at), event.type === 'plan-completed');
    if (event.type === 'plan-completed') {
      if (drafted.memory)
        this.memory.remember(drafted.memory.vector, {
          ...drafted.memory.runbook,
          outcome: 'completed, verified',
        });
      return;
    }
    const decision = knownGoodRetry(drafted, {
      type: 'plan-aborted',
      cause: String(event.detail['cause'] ?? ''),
    });
    if (!decision.retry || !this.incidents.has(drafted.incidentId)) {
      this.logger.log(
        { msg: 'no retry', planId: event.planId, reason: decision.reason },
        'PlannerService',
      );
      return;
    }
    const plan = await this.publish({
      ...drafted,
      summary: `Known-good runbook for ${drafted.faultClass} on ${drafted.target}, after ${drafted.planId} failed`,
      steps: decision.steps,
      fallbackUsed: true,
      promptHash: 'known-good',
      similar: [],
    });
    this.logger.log(
      { msg: 'plan retried', planId: plan.planId, reason: decision.reason },
      'PlannerService',
    );
  }

  /** `remembered`: what the plan is remembered by if it works. */
  private async publish(
    draft: Draft,
    remembered?: (runbook: PastRunbook) => Outstanding['memory'],
  ): Promise<RemediationPlan> {
    const plan: RemediationPlan = {
      schemaVersion: 1,
      // unique across episodes of the incident and restarts of the planner: the executor runs a
      // plan id once
      planId: `plan-${draft.incidentId}-${Date.now().toString(36)}`,
      incidentId: draft.incidentId,
      createdAt: new Date().toISOString(),
      faultClass: draft.faultClass,
      summary: draft.summary,
      headline: planHeadline(draft.faultClass, draft.target, draft.steps),
      steps: draft.steps.map((step, i) => ({ ...step, stepId: `s${i + 1}` })),
      provenance: {
        model: this.config.llm.model,
        promptHash: draft.promptHash,
        fallbackUsed: draft.fallbackUsed,
        similarPlans: draft.similar.flatMap((p) => (p.planId ? [p.planId] : [])),
      },
    };
    await this.publisher.publish(Topics.remediationPlans, plan);
    this.gate.treating(draft.target, Date.now());
    this.outstanding.set(plan.planId, {
      planId: plan.planId,
      incidentId: draft.incidentId,
      target: draft.target,
      faultClass: draft.faultClass,
      fallbackUsed: draft.fallbackUsed,
      steps: plan.steps,
      replicas: draft.replicas,
      memory: remembered?.({
        planId: plan.planId,
        summary: plan.summary,
        faultClass: draft.faultClass,
        steps: plan.steps.map((s) => `${s.action} ${s.target}`),
      }),
    });
    return plan;
  }
}
