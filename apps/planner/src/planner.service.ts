import {
  Inject,
  Injectable,
  Optional,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka, KafkaMessage } from 'kafkajs';
import {
  decodeEvent,
  Topics,
  type IncidentEvent,
  type RcaResult,
  type RemediationExecution,
  type RemediationPlan,
} from '@vigil/contracts';
import { IncidentStoreRepository, TopologyRepository } from '@vigil/graph';
import {
  buildRemediationPrompt,
  draftRunbook,
  type DraftOutcome,
  type PastRunbook,
} from '@vigil/llm';
import {
  ContractConsumer,
  EventPublisher,
  KAFKA,
  partitionOfKey,
  readTopicToEnd,
  type MessageMeta,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import {
  IncidentPlanBook,
  knownGoodDraft,
  FollowUpQueue,
  planFromDraft,
  SIGNATURE_AUTHOR,
  signatureDraft,
  restoreIncidents,
  type DraftDecision,
  type FollowUpInput,
  type PlanDraft,
  type PlanJob,
} from '@vigil/planning';
import { pastRunbooks } from './past-runbooks';
import type { PlannerSettings } from './planner.config';
import { openAiPlannerModel, PLANNER_MODEL, type PlannerModel } from './planner-model';
import { topologyFacts } from './topology-facts';

/**
 * Examples of what worked wait this long at most (the draft's own budget is seconds); their
 * alerts' vectors this long, after which they are compared by words.
 */
const EXAMPLES_WAIT_MS = 8_000;
const EMBED_WAIT_MS = 2_000;

/** How long the start waits for the group of its own to take its place at the topics' ends. */
const JOIN_WAIT_MS = 30_000;

/**
 * A follow-up draft that has not come back this long after its budget is given up: the client
 * honours the budget, and a hung call must not keep the drafting lane from the next incident.
 */
const DRAFT_SLACK_MS = 1_000;

/** What a draft for one diagnosis is written from: gathered once, before either path. */
interface DraftContext {
  result: RcaResult;
  decision: Extract<DraftDecision, { draft: true }>;
  facts: string[];
  replicas: number;
}

/** The model's draft to write after the known-good plan `first` went out. */
interface FollowUpDraft extends DraftContext {
  first: RemediationPlan;
}

/**
 * Root causes in, a drafted and validated runbook out on vigil.remediation.plans.v1. What to draft
 * and when, whether a draft is still wanted and what follows a plan's end are decided by
 * libs/planning's IncidentPlanBook; this service reads the topics, asks the graph and the model,
 * and publishes. The consumer's handlers only record work in the book and return, so heartbeats
 * go on while a draft takes its time; one worker decides and publishes, a job at a time. With
 * PLANNER_KNOWN_GOOD_FIRST, a diagnosis whose fault class has a known-good runbook gets that
 * runbook at once, and the model's draft is written on a lane of its own (one at a time), so no
 * draft holds up a known-good plan; what the draft becomes is a job of the worker again, so plans
 * are numbered and published by one hand. At start the book is rebuilt from the incidents, plans
 * and executions topics, so a restart neither drafts a plan twice nor reuses a plan id. Examples of what worked come from the incident store
 * (Neo4j, written by topology-sync), so a restart forgets none of them.
 */
@Injectable()
export class PlannerService implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Rankings, in the group planners share: the holder of an incident's partition plans for it. */
  private consumer?: ContractConsumer;
  /**
   * Incidents, plans, plan ends and rankings, all of them, in a group of its own: every planner's
   * book knows every plan, so an incident that moves here after its planner died is not planned
   * again.
   */
  private everything?: ContractConsumer;
  /** What `everything` brought while the topics were read back; applied after, each once. */
  private early?: Array<{ meta: MessageMeta; apply: () => void }> = [];
  /** The last offset read back, per topic and partition. */
  private readonly readUpTo = new Map<string, bigint>();
  /** The rankings topic's partitions, as the broker has it: who holds an incident follows. */
  private rcaPartitions = Topics.rca.partitions;
  private readonly book: IncidentPlanBook;
  private readonly model: PlannerModel;
  /** The worker while it has jobs: one draft at a time, in the order the jobs came. */
  private worker?: Promise<void>;
  /** Model drafts to follow known-good plans, and the lane that writes them while it has some. */
  private readonly followUps: FollowUpQueue<FollowUpDraft>;
  private drafter?: Promise<void>;
  /** The timer of the earliest second look the book asked for. */
  private wake?: { at: number; timer: NodeJS.Timeout };
  private stopped = false;

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly config: PlannerSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(TopologyRepository) private readonly repository: TopologyRepository,
    @Optional() @Inject(PLANNER_MODEL) model?: PlannerModel,
    @Optional()
    @Inject(IncidentStoreRepository)
    private readonly history?: Pick<IncidentStoreRepository, 'candidatesLike' | 'get'>,
  ) {
    this.model = model ?? openAiPlannerModel(config.llm);
    this.book = new IncidentPlanBook({
      settleMs: config.settleMs,
      decisiveRatio: config.decisiveRatio,
      maxPlans: config.maxPlans,
      clearLeadRatio: config.clearLeadRatio,
      closeRaceSettleMs: config.closeRaceSettleMs,
      alertsOnlySettleMs: config.alertsOnlySettleMs,
      coolDownMs: config.coolDownMs,
      endedRetainMs: config.endedRetainMs,
      idleMs: config.idleMs,
      maxIncidents: config.maxIncidents,
    });
    this.followUps = new FollowUpQueue(config.maxQueuedFollowUps);
  }

  async onApplicationBootstrap(): Promise<void> {
    // In place at the topics' ends before they are read back, so nothing falls between the two.
    this.everything = new ContractConsumer(this.kafka, {
      groupId: `${this.config.group}.all.${randomUUID()}`,
      subscriptions: [
        subscription(Topics.incidents, async (event, meta) =>
          this.live(meta, () => this.onIncident(event)),
        ),
        subscription(Topics.remediationPlans, async (plan, meta) =>
          this.live(meta, () => this.book.learnPlan(plan, Date.now())),
        ),
        subscription(Topics.remediationExecutions, async (event, meta) =>
          this.live(meta, () => this.onExecution(event)),
        ),
        subscription(Topics.rca, async (result, meta) =>
          this.live(meta, () => this.book.onRanking(result, Date.now())),
        ),
      ],
      publisher: this.publisher,
      logger: this.logger,
      fromBeginning: false,
    });
    await this.everything.start();
    await Promise.race([this.everything.joined(), sleep(JOIN_WAIT_MS, undefined, { ref: false })]);
    this.rcaPartitions = await this.partitionsOf(Topics.rca.name);
    await this.readBack();
    this.applyEarly();
    this.consumer = new ContractConsumer(this.kafka, {
      groupId: this.config.group,
      subscriptions: [subscription(Topics.rca, (result) => this.onRanking(result))],
      publisher: this.publisher,
      logger: this.logger,
      fromBeginning: this.config.startAt === 'earliest',
      onJoin: () => this.takeOver(),
    });
    await this.consumer.start();
    this.arm();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.wake?.timer);
    await this.consumer?.stop();
    await this.everything?.stop();
    await this.idle();
  }

  /** A record of `everything`: applied now, or once the read-back is done, unless it read it. */
  private live(meta: MessageMeta, apply: () => void): void {
    if (this.early) this.early.push({ meta, apply });
    else apply();
  }

  private applyEarly(): void {
    const early = this.early ?? [];
    this.early = undefined;
    for (const { meta, apply } of early) {
      const last = this.readUpTo.get(`${meta.topic}/${meta.partition}`);
      if (last === undefined || BigInt(meta.offset) > last) apply();
    }
  }

  /**
   * Whether this planner holds the incident: its rankings' partition in the shared group. On
   * Kafka in memory (specs), which has no group, it holds everything.
   */
  private holds(incidentId: string): boolean {
    const { name } = Topics.rca;
    const partition = partitionOfKey(name, incidentId, this.rcaPartitions);
    return this.consumer?.holds(name, partition) ?? false;
  }

  private async partitionsOf(topic: string): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topic)).length;
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * The group handed this planner its partitions: the newest ranking of each open incident it now
   * holds is looked at (one that a planner which stopped had queued and not planned for yet); the
   * book knows every plan out, so none is drafted twice.
   */
  private takeOver(): void {
    for (const result of this.book.openRankings())
      if (this.holds(result.incidentId))
        this.book.enqueue({ kind: 'ranking', result, again: false });
    this.pump();
  }

  /**
   * Resolves once the worker and the drafting lane have no job left (or, once stopped, have
   * finished the ones they had). A written follow-up is a job of the worker: looked at again.
   */
  async idle(): Promise<void> {
    while (this.worker || this.drafter) await Promise.all([this.worker, this.drafter]);
  }

  /**
   * The incidents as they stand, then the plans and their ends: the book as it was before the
   * restart (libs/planning restoreIncidents).
   */
  private async readBack(): Promise<void> {
    await this.readToEnd(Topics.incidents.name, (m) => {
      const decoded = decodeEvent(Topics.incidents, m.value);
      if (decoded.ok) this.book.onIncident(decoded.value, Date.parse(decoded.value.at));
    });
    const plans: RemediationPlan[] = [];
    await this.readToEnd(Topics.remediationPlans.name, (m) => {
      const decoded = decodeEvent(Topics.remediationPlans, m.value);
      if (decoded.ok) plans.push(decoded.value);
    });
    const executions: RemediationExecution[] = [];
    await this.readToEnd(Topics.remediationExecutions.name, (m) => {
      const decoded = decodeEvent(Topics.remediationExecutions, m.value);
      if (decoded.ok && decoded.value.type.startsWith('plan-')) executions.push(decoded.value);
    });
    // the rankings only for the newest of each incident, for takeOver
    await this.readToEnd(Topics.rca.name, (m) => {
      const decoded = decodeEvent(Topics.rca, m.value);
      if (decoded.ok) this.book.onRanking(decoded.value, Date.parse(decoded.value.generatedAt));
    });
    this.book.restore(restoreIncidents(plans, executions), Date.now());
    this.logger.log(
      { msg: 'plan book read back', plans: plans.length, incidents: this.book.size },
      'PlannerService',
    );
  }

  /** The topic read from its start to its end, noting how far for `applyEarly`. */
  private readToEnd(topic: string, onMessage: (m: KafkaMessage) => void): Promise<void> {
    return readTopicToEnd(this.kafka, topic, (message, partition) => {
      const key = `${topic}/${partition}`;
      const offset = BigInt(message.offset);
      if (offset > (this.readUpTo.get(key) ?? -1n)) this.readUpTo.set(key, offset);
      onMessage(message);
    });
  }

  /** Taken in at once, not in turn: a draft under way must learn that its incident ended. */
  private onIncident(event: IncidentEvent): void {
    this.book.onIncident(event, Date.now());
    this.arm();
  }

  /** Kept as it arrives (a draft under way is checked against it), drafted for in turn. */
  private async onRanking(result: RcaResult): Promise<void> {
    this.book.onRanking(result, Date.now());
    this.book.enqueue({ kind: 'ranking', result, again: false });
    this.pump();
  }

  /**
   * Every planner notes a plan's end in its book; the one holding the incident decides what
   * follows it, in turn with its other work.
   */
  private onExecution(event: RemediationExecution): void {
    if (!event.type.startsWith('plan-')) return;
    if (!this.holds(event.incidentId)) {
      this.book.onExecution(event);
      return;
    }
    this.book.enqueue({ kind: 'execution', event });
    this.pump();
  }

  /** Starts the worker unless it runs: it takes the book's jobs until none is left. */
  private pump(): void {
    if (this.worker || this.stopped || this.book.pendingJobs === 0) return;
    this.worker = this.drain().finally(() => {
      this.worker = undefined;
      // a job recorded while the worker was finishing
      this.pump();
    });
  }

  private async drain(): Promise<void> {
    for (let job = this.book.takeJob(); job; job = this.stopped ? undefined : this.book.takeJob())
      await this.run(job).catch((error: unknown) => this.logger.error(error, 'PlannerService'));
  }

  private run(job: PlanJob): Promise<void> {
    switch (job.kind) {
      case 'ranking':
        return this.plan(job.result, job.again);
      case 'execution':
        return this.afterPlanEnd(job.event);
      case 'follow-up':
        return this.decideFollowUp(job.incidentId, job.after, job.offer);
    }
  }

  /**
   * A ranking is published only when it changes, so a diagnosis that must hold a while is looked
   * at again when the book says that while is over; one timer, for the earliest.
   */
  private arm(): void {
    const at = this.stopped ? undefined : this.book.nextLookAt();
    if (at === this.wake?.at) return;
    clearTimeout(this.wake?.timer);
    this.wake = undefined;
    if (at === undefined) return;
    const timer = setTimeout(
      () => {
        this.wake = undefined;
        for (const result of this.book.dueLooks(Date.now()))
          this.book.enqueue({ kind: 'ranking', result, again: true });
        this.pump();
        this.arm();
      },
      Math.max(0, at - Date.now()),
    );
    timer.unref();
    this.wake = { at, timer };
  }

  /** `again`: the second look the book asked for at this ranking. */
  private async plan(result: RcaResult, again = false): Promise<void> {
    // its partition moved while the job waited: the planner that holds it now decides
    if (!this.holds(result.incidentId)) return;
    const decision = this.book.shouldDraft(result, Date.now(), again);
    this.arm();
    if (!decision.draft) {
      this.logger.debug?.(
        { msg: 'no plan yet', incidentId: result.incidentId, reason: decision.reason },
        'PlannerService',
      );
      return;
    }
    const { candidate: leading, faultClass } = decision;
    const subgraph = await this.repository.neighbourhood([leading.service], 1);
    const { facts, replicas } = topologyFacts(subgraph, leading.service);
    const context: DraftContext = { result, decision, facts, replicas };
    if (this.config.evidenceSignatures && decision.signature) {
      // the logs name what holds the fault and the step that treats it: no runbook or model needed
      const draft = signatureDraft({
        incidentId: result.incidentId,
        target: leading.service,
        faultClass,
        replicas,
        match: decision.signature,
      });
      await this.publishFirst(context, draft, 'plan published: an evidence signature');
      return;
    }
    const knownGood = this.config.knownGoodFirst
      ? knownGoodDraft({
          incidentId: result.incidentId,
          target: leading.service,
          faultClass,
          replicas,
        })
      : undefined;
    // a novel fault (no known-good runbook treats it), or known-good first turned off: the
    // model drafts first, as it always did
    if (knownGood) await this.knownGoodFirst(context, knownGood);
    else await this.modelFirst(context);
  }

  /** The model drafts within its budget; its fallback is the known-good runbook. */
  private async modelFirst(context: DraftContext): Promise<void> {
    const { result, decision, replicas } = context;
    const { candidate: leading, faultClass } = decision;
    const { outcome, promptHash, similar } = await this.draft(context);
    if (!this.holds(result.incidentId)) {
      // the group moved the incident while the model wrote: its new holder plans for it
      this.logger.log(
        {
          msg: 'draft dropped: the incident moved to another planner',
          incidentId: result.incidentId,
        },
        'PlannerService',
      );
      return;
    }
    const acceptance = this.book.acceptDraft({
      incidentId: result.incidentId,
      target: leading.service,
      faultClass,
    });
    if (!acceptance.accept) {
      this.logger.log(
        { msg: `draft dropped: ${acceptance.reason}`, incidentId: result.incidentId },
        'PlannerService',
      );
      return;
    }
    const plan = await this.publish({
      incidentId: result.incidentId,
      target: leading.service,
      faultClass,
      replicas,
      summary: outcome.summary,
      steps: outcome.steps,
      fallbackUsed: outcome.fallbackUsed,
      promptHash,
      similarPlans: similarIds(similar),
    });
    this.logger.log(
      {
        msg: 'plan drafted',
        planId: plan.planId,
        faultClass,
        why: decision.reason,
        fallbackUsed: outcome.fallbackUsed,
        refusals: outcome.refusals,
      },
      'PlannerService',
    );
  }

  /** A draft that needs no model goes out now, unless the book no longer wants it. */
  private async publishFirst(
    context: DraftContext,
    draft: PlanDraft,
    msg: string,
  ): Promise<RemediationPlan | undefined> {
    const acceptance = this.book.acceptDraft(draft);
    if (!acceptance.accept) {
      this.logger.log(
        { msg: `draft dropped: ${acceptance.reason}`, incidentId: draft.incidentId },
        'PlannerService',
      );
      return undefined;
    }
    const plan = await this.publish(draft);
    this.logger.log(
      { msg, planId: plan.planId, faultClass: draft.faultClass, why: context.decision.reason },
      'PlannerService',
    );
    return plan;
  }

  /**
   * The known-good runbook goes out now, without waiting for the model; the model's draft is
   * written on the drafting lane and may follow it (decideFollowUp).
   */
  private async knownGoodFirst(context: DraftContext, draft: PlanDraft): Promise<void> {
    const first = await this.publishFirst(
      context,
      draft,
      'plan published: known-good first, the model drafts a follow-up',
    );
    if (!first) return;
    this.book.awaitFollowUp(first);
    const displaced = this.followUps.push({ ...context, first });
    if (displaced)
      this.giveUpFollowUp(
        displaced,
        `the drafting lane was full (${this.config.maxQueuedFollowUps} drafts waiting)`,
      );
    this.pumpDrafts();
  }

  /** Starts the drafting lane unless it runs: it writes the follow-ups until none is left. */
  private pumpDrafts(): void {
    if (this.drafter || this.stopped || this.followUps.size === 0) return;
    this.drafter = this.drainDrafts().finally(() => {
      this.drafter = undefined;
      this.pumpDrafts();
    });
  }

  private async drainDrafts(): Promise<void> {
    for (
      let job = this.followUps.take();
      job;
      job = this.stopped ? undefined : this.followUps.take()
    ) {
      // a draft nobody waits for any more would hold the lane for seconds
      const stale = this.book.staleFollowUp(job.result.incidentId, job.first.planId);
      if (stale) this.giveUpFollowUp(job, stale);
      else await this.draftFollowUp(job);
    }
  }

  /** No draft for `job`: the book hears why, so the first plan's end is not kept waiting for it. */
  private giveUpFollowUp(job: FollowUpDraft, reason: string): void {
    this.book.enqueue({
      kind: 'follow-up',
      incidentId: job.result.incidentId,
      after: job.first.planId,
      offer: { none: `no follow-up drafted: ${reason}` },
    });
    this.pump();
  }

  /**
   * The model's draft for a diagnosis whose known-good plan went out; handed to the worker as a
   * job whatever comes of it, so the book always hears whether a follow-up is coming.
   */
  private async draftFollowUp(job: FollowUpDraft): Promise<void> {
    let offer: FollowUpInput['offer'];
    try {
      const { outcome, promptHash, similar } = await this.draft(job, DRAFT_SLACK_MS);
      offer = outcome.fallbackUsed
        ? { none: `the model drafted nothing of its own: ${refused(outcome)}` }
        : {
            draft: {
              incidentId: job.result.incidentId,
              target: job.decision.candidate.service,
              faultClass: job.decision.faultClass,
              replicas: job.replicas,
              summary: outcome.summary,
              steps: outcome.steps,
              fallbackUsed: false,
              promptHash,
              similarPlans: similarIds(similar),
            },
          };
    } catch (error) {
      offer = { none: `the model's draft failed: ${messageOf(error)}` };
    }
    this.book.enqueue({
      kind: 'follow-up',
      incidentId: job.result.incidentId,
      after: job.first.planId,
      offer,
    });
    this.pump();
  }

  /** The model's follow-up is written: published, held until the first plan ends, or dropped. */
  private async decideFollowUp(
    incidentId: string,
    after: string,
    offer: FollowUpInput['offer'],
  ): Promise<void> {
    const verdict = this.book.offerFollowUp(incidentId, after, offer);
    if (verdict.next !== 'publish') {
      this.logger.log(
        {
          msg: `follow-up ${verdict.next === 'hold' ? 'held' : 'dropped'}`,
          incidentId,
          after,
          reason: verdict.reason,
        },
        'PlannerService',
      );
      return;
    }
    const plan = await this.publish(verdict.draft);
    this.logger.log(
      { msg: 'follow-up published', planId: plan.planId, after, reason: verdict.reason },
      'PlannerService',
    );
  }

  /**
   * The model's draft for the diagnosis, with the examples and prompt it was written from.
   * `hardLimitMs`: given up this long after the budget (the drafting lane must not hang).
   */
  private async draft(
    context: DraftContext,
    hardLimitMs?: number,
  ): Promise<{ outcome: DraftOutcome; promptHash: string; similar: PastRunbook[] }> {
    const { result, decision, facts, replicas } = context;
    const { candidate: leading, faultClass, incident } = decision;
    const similar = await this.examples(result.incidentId, incident, leading);
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
    const drafting = draftRunbook(this.model.complete, {
      messages,
      targets: [leading.service],
      faultClass,
      fallbackTarget: leading.service,
      fallbackReplicas: replicas,
      released: leading.evidence.deploys && leading.evidence.deploys.length > 0,
      budgetMs: this.config.draftBudgetMs,
    });
    const outcome =
      hardLimitMs === undefined
        ? await drafting
        : await within(drafting, this.config.draftBudgetMs + hardLimitMs);
    return { outcome, promptHash, similar };
  }

  /**
   * What worked on past incidents like this one, from the store; none when the store cannot be
   * read (a draft without examples beats no draft). Past incidents are found by meaning too: the
   * same words are rare, the same story is not.
   */
  private async examples(
    incidentId: string,
    incident: { title: string; services: string[] },
    leading: RcaResult['candidates'][number],
  ): Promise<PastRunbook[]> {
    if (!this.history) return [];
    const alertText = [
      ...leading.evidence.alerts.map((a) => a.alertname),
      ...leading.evidence.metrics.map((m) => `${m.metric} ${m.direction ?? ''}`.trim()),
      ...leading.evidence.logTemplates.map((l) => l.template),
    ].join('\n');
    const target = {
      id: incidentId,
      title: incident.title,
      services: incident.services,
      rootCause: leading.service,
      alertText,
      openedAt: new Date().toISOString(),
    };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer in ${EXAMPLES_WAIT_MS} ms`)),
        EXAMPLES_WAIT_MS,
      );
    });
    try {
      return await Promise.race([
        pastRunbooks(this.history, (texts) => this.embedWithin(texts, EMBED_WAIT_MS), target),
        late,
      ]);
    } catch (error) {
      this.logger.warn(
        {
          msg: 'no examples from the incident store',
          incidentId,
          error: error instanceof Error ? error.message : String(error),
        },
        'PlannerService',
      );
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  /** Vectors of the texts in one request, or undefined when the model cannot in time. */
  private async embedWithin(texts: string[], ms: number): Promise<number[][] | undefined> {
    const embedAll =
      this.model.embedAll?.bind(this.model) ??
      (async (all: string[]) => {
        const vectors = await Promise.all(all.map((t) => this.model.embed(t)));
        return vectors.every((v): v is number[] => v !== undefined) ? vectors : undefined;
      });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    try {
      return await Promise.race([embedAll(texts), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The end of a plan this planner drafted: one that failed may be followed by another (the book
   * says: the known-good runbook after a model plan, the model's follow-up after a known-good plan
   * that went first). One that worked needs nothing here: the store keeps it as an example.
   */
  private async afterPlanEnd(event: RemediationExecution): Promise<void> {
    const after = this.book.onExecution(event);
    if (!this.holds(event.incidentId)) return;
    switch (after.next) {
      case 'nothing':
        return;
      case 'remember':
        if (after.dropped)
          this.logger.log(
            { msg: 'follow-up dropped', after: event.planId, reason: after.dropped },
            'PlannerService',
          );
        return;
      case 'wait':
      case 'stop':
        this.logger.log(
          {
            msg: after.next === 'wait' ? 'follow-up pending' : 'no retry',
            planId: event.planId,
            reason: after.reason,
          },
          'PlannerService',
        );
        return;
      case 'retry': {
        const plan = await this.publish(after.draft);
        this.logger.log(
          {
            msg: after.draft.fallbackUsed ? 'plan retried' : 'follow-up published',
            planId: plan.planId,
            after: event.planId,
            reason: after.reason,
          },
          'PlannerService',
        );
      }
    }
  }

  private async publish(draft: PlanDraft): Promise<RemediationPlan> {
    const number = this.book.nextPlanNumber(draft.incidentId);
    const author = draft.signature ? SIGNATURE_AUTHOR : this.config.llm.model;
    const plan = planFromDraft(draft, Date.now(), author, number);
    await this.publisher.publish(Topics.remediationPlans, plan);
    this.book.published(plan, draft, Date.now());
    return plan;
  }
}

const similarIds = (similar: readonly PastRunbook[]): string[] =>
  similar.flatMap((p) => (p.planId ? [p.planId] : []));

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Why the model's drafts were refused, attempt by attempt. */
const refused = (outcome: DraftOutcome): string =>
  outcome.refusals.map((reasons) => reasons.join('; ')).join(' | ') || 'no reason given';

/** `promise`, or a rejection once `ms` passed without it settling. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no draft in ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
