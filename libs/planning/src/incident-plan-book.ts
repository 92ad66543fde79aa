import {
  diagnosisLabel,
  signatureOfPromptHash,
  type FaultClass,
  type SignatureMatch,
} from '@vigil/action-catalog';
import type {
  IncidentEvent,
  RcaResult,
  RemediationExecution,
  RemediationPlan,
  RootCauseCandidate,
} from '@vigil/contracts';
import { DiagnosisGate, type DiagnosisGateOptions } from '@vigil/rca';
import { nextAfterFailure, type AfterPlanEnd, type OutstandingPlan } from './after-plan-end';
import {
  followUpVerdict,
  type FirstPlanEnd,
  type FollowUpInput,
  type FollowUpVerdict,
  type Treatment,
} from './known-good-first';
import { planIdFor, type PlanDraft, type PlanNumber } from './plan-draft';
import {
  decodePlan,
  faultClassOf,
  replicasOf,
  type PublishedPlan,
  type RestoredIncident,
} from './plan-book-rebuild';

export interface PlanBookOptions extends Partial<DiagnosisGateOptions> {
  /**
   * How long an incident that ended is remembered as ended: a draft under way when it ended must
   * still learn so, and a ranking that comes late must not start a draft.
   */
  endedRetainMs?: number;
  /** An incident nothing was heard of for this long is forgotten (its plans' ends too). */
  idleMs?: number;
  /** Incidents remembered at most; the least recently heard of go first. */
  maxIncidents?: number;
}

/** How much the book remembers unless told otherwise. */
export const planBookRetentionDefaults: Readonly<
  Required<Pick<PlanBookOptions, 'endedRetainMs' | 'idleMs' | 'maxIncidents'>>
> = {
  endedRetainMs: 30 * 60_000,
  idleMs: 24 * 60 * 60_000,
  maxIncidents: 10_000,
};

/** Why a follow-up to plan `after` is dropped when the book no longer holds it. */
const unknownFollowUp = (after: string) => `${after} is no longer known here`;

/** Forgetting looks at every incident, so it runs at most this often. */
const evictEveryMs = 60_000;

/** A second look comes this long after the wait the gate named, so the wait is surely over. */
const lookAgainSlackMs = 50;

/** The incident as its events describe it. */
export interface IncidentInfo {
  title: string;
  services: string[];
}

export type DraftDecision =
  | {
      draft: true;
      candidate: RootCauseCandidate;
      faultClass: FaultClass;
      /** A signature the candidate's own logs show: the step that treats what holds the fault. */
      signature?: SignatureMatch;
      incident: IncidentInfo;
      reason: string;
    }
  | {
      draft: false;
      reason: string;
      /** When to ask again about the same ranking if no newer one comes first (ms). */
      lookAgainAt?: number;
    };

export type DraftAcceptance = { accept: true } | { accept: false; reason: string };

/**
 * Work for the planner's drafting worker, recorded by the consumer's handlers, which return at
 * once: drafting takes longer than a consumer session may go without a heartbeat.
 */
export type PlanJob =
  /** A ranking to decide on; `again`: the second look a decision asked for. */
  | { kind: 'ranking'; result: RcaResult; again: boolean }
  /** An execution event: the end of a plan may call for a retry. */
  | { kind: 'execution'; event: RemediationExecution }
  /** The model's draft (or why none came) to follow the known-good plan `after` of the incident. */
  | { kind: 'follow-up'; incidentId: string; after: string; offer: FollowUpInput['offer'] };

/** A known-good plan that went first, waiting for the model's draft that may follow it. */
interface FollowUpSlot {
  first: { planId: string; steps: Treatment[] };
  /** The model's draft, once written and held (it treats something new). */
  draft?: PlanDraft;
  /** How the first plan ended, once it did. */
  end?: FirstPlanEnd;
}

/** Everything the planner knows of one incident. */
interface IncidentRecord<M> {
  /** From its newest event; none until one was seen. */
  incident?: IncidentInfo;
  /** Its newest ranking, as it arrived (not when its turn came). */
  latest?: RcaResult;
  /** When it resolved or was merged away, unless it reopened since. */
  endedAt?: number;
  /** A ranking to look at again once the gate's wait is over. */
  lookAgain?: { at: number; result: RcaResult };
  /** The maintenance window (open-no-remediate) one of its alerts came under: no plan for it. */
  remediationHold?: string;
  /** Its plans out on the plans topic, by plan id. */
  plans: Map<string, OutstandingPlan<M>>;
  /** Every plan of it this book published or read, ended ones too: the topic's echo counts once. */
  knownPlans: Set<string>;
  /** 0, then one more each time it reopens: its plans are numbered per episode. */
  episode: number;
  /** Plans published in this episode. */
  publishedInEpisode: number;
  /** Diagnoses (service and fault class) whose known-good runbook went out in this episode. */
  knownGoodTried: Set<string>;
  /** Known-good plans that went first, by plan id, until their follow-up is decided. */
  followUps: Map<string, FollowUpSlot>;
  heardAt: number;
}

const diagnosisKey = (target: string, faultClass: string) => `${target}\n${faultClass}`;

/**
 * The planner's decisions, one record per incident: when a ranking is drafted for, whether a
 * draft that took a while is still wanted, what follows a plan's end, and when an incident is
 * forgotten. Plain data in, decisions out; the caller passes the time (ms) and does the I/O.
 * `M` is what the caller keeps with a plan until its end.
 */
export class IncidentPlanBook<M = unknown> {
  /** In order of last hearing: the first is the least recently heard of. */
  private readonly records = new Map<string, IncidentRecord<M>>();
  private readonly gate: DiagnosisGate;
  private readonly options: typeof planBookRetentionDefaults;
  private evictedAt = -Infinity;
  /** Jobs for the worker, in the order they came. */
  private readonly jobs: PlanJob[] = [];

  constructor(options: PlanBookOptions = {}) {
    const { endedRetainMs, idleMs, maxIncidents, ...gate } = options;
    // a setting left undefined keeps the gate's default rather than erasing it
    this.gate = new DiagnosisGate(
      Object.fromEntries(Object.entries(gate).filter(([, value]) => value !== undefined)),
    );
    this.options = {
      endedRetainMs: endedRetainMs ?? planBookRetentionDefaults.endedRetainMs,
      idleMs: idleMs ?? planBookRetentionDefaults.idleMs,
      maxIncidents: maxIncidents ?? planBookRetentionDefaults.maxIncidents,
    };
  }

  get size(): number {
    return this.records.size;
  }

  /** Records a job for the worker; jobs are handed out in the order they were recorded. */
  enqueue(job: PlanJob): void {
    this.jobs.push(job);
  }

  /** The oldest job not handed out yet. */
  takeJob(): PlanJob | undefined {
    return this.jobs.shift();
  }

  get pendingJobs(): number {
    return this.jobs.length;
  }

  /**
   * The state a planner had before a restart, from its plans and their ends (restoreIncidents),
   * after the incidents topic was replayed through `onIncident`: each incident's episode and the
   * plans published in it (so the next plan gets the next number, never an earlier one), its
   * plans still out, the services planned for in its episode, and each service's treatment
   * (under way, or cooling down after a plan that worked), applied in time order.
   */
  restore(incidents: readonly RestoredIncident[], now: number): void {
    const treatments: Array<{ at: number; apply: () => void }> = [];
    for (const restored of incidents) {
      const heard = Math.max(
        this.records.get(restored.incidentId)?.heardAt ?? -Infinity,
        restored.heardAt,
      );
      const record = this.touch(restored.incidentId, heard);
      // reopened since its latest plan (the incidents topic says so): a new episode, no plan yet
      const current = record.episode <= restored.episode;
      if (current) {
        record.episode = restored.episode;
        record.publishedInEpisode = restored.publishedInEpisode;
      }
      for (const published of restored.plans)
        this.adopt(record, published, current, (at, apply) => treatments.push({ at, apply }));
    }
    for (const treatment of treatments.sort((a, b) => a.at - b.at)) treatment.apply();
    this.evict(now);
  }

  /**
   * A plan on the plans topic, as it comes: one another planner of the group published (its
   * incident may move here when that planner stops), or this one's own, which counts once. Its
   * service waits for its end, its diagnosis is not drafted for again in its episode, and the
   * incident's next plan gets the next number. A plan of an earlier episode changes no count.
   */
  learnPlan(plan: RemediationPlan, now: number): void {
    const known = this.records.get(plan.incidentId);
    if (known?.knownPlans.has(plan.planId)) return;
    const record = this.touch(plan.incidentId, now);
    const { target, number } = numberOf(plan, record.episode, record.publishedInEpisode);
    const current = number.episode >= record.episode;
    if (current) {
      // a reopening not heard of yet makes it later: the plan's id is the surer word
      if (number.episode > record.episode) record.publishedInEpisode = 0;
      record.episode = number.episode;
      record.publishedInEpisode = Math.max(record.publishedInEpisode, number.attempt);
    }
    const publishedAt = Date.parse(plan.createdAt);
    this.adopt(record, { plan, target, number, publishedAt }, current, (_at, apply) => apply());
  }

  /**
   * One plan read from the topic into its incident's record: `current` when it belongs to the
   * episode the record is in; its treatments (under way, then ended) go to `treat` with their time.
   */
  private adopt(
    record: IncidentRecord<M>,
    published: PublishedPlan,
    current: boolean,
    treat: (at: number, apply: () => void) => void,
  ): void {
    const { plan, target, publishedAt, end } = published;
    record.knownPlans.add(plan.planId);
    const inEpisode = current && published.number.episode === record.episode;
    if (inEpisode && record.endedAt === undefined)
      this.gate.planned(
        plan.incidentId,
        target,
        diagnosisLabel(faultClassOf(plan), signatureOfPromptHash(plan.provenance.promptHash)),
      );
    if (inEpisode && plan.provenance.fallbackUsed)
      record.knownGoodTried.add(diagnosisKey(target, plan.faultClass));
    treat(publishedAt, () => this.gate.treating(target, publishedAt));
    if (end) {
      treat(end.at, () => this.gate.treated(target, end.at, end.worked));
      return;
    }
    record.plans.set(plan.planId, {
      planId: plan.planId,
      incidentId: plan.incidentId,
      target,
      faultClass: faultClassOf(plan),
      fallbackUsed: plan.provenance.fallbackUsed,
      steps: plan.steps,
      replicas: replicasOf(plan),
      publishedAt,
    });
  }

  /** Open and seen: its events arrived and it did not end since. */
  isOpen(incidentId: string): boolean {
    const record = this.records.get(incidentId);
    return record?.incident !== undefined && record.endedAt === undefined;
  }

  onIncident(event: IncidentEvent, now: number): void {
    if ((event.type === 'opened' || event.type === 'alert-attached') && event.remediationHold)
      this.touch(event.incidentId, now).remediationHold = event.remediationHold.maintenanceWindowId;
    // a merged event names the survivor; the absorbed incident ends there
    const ended =
      event.type === 'merged'
        ? event.mergedIncidentId
        : event.type === 'resolved'
          ? event.incidentId
          : undefined;
    if (event.type !== 'resolved') this.reopenIfEnded(this.touch(event.incidentId, now));
    if (ended !== undefined) this.end(ended, now);
    if (event.type !== 'resolved')
      this.touch(event.incidentId, now).incident = {
        title: event.incident.title,
        services: event.incident.services,
      };
    this.evictNowAndThen(now);
  }

  /** Kept as it arrives: a draft under way is checked against the newest ranking. */
  onRanking(result: RcaResult, now: number): void {
    const record = this.touch(result.incidentId, now);
    // one delivered again (a partition that moved) is older than what came meanwhile
    const older = record.latest !== undefined && record.latest.revision > result.revision;
    if (record.endedAt === undefined && !older) record.latest = result;
    this.evictNowAndThen(now);
  }

  /** The newest ranking of each incident that is open: what a planner taking it over looks at. */
  openRankings(): RcaResult[] {
    const open: RcaResult[] = [];
    for (const record of this.records.values())
      if (record.endedAt === undefined && record.latest) open.push(record.latest);
    return open;
  }

  /**
   * Whether to draft a plan for `result` now. `again`: this is the second look the last decision
   * asked for, so the ranking is judged at `now` rather than at its own time. Any earlier request
   * for a second look at the incident is dropped: this decision replaces it.
   */
  shouldDraft(result: RcaResult, now: number, again = false): DraftDecision {
    const record = this.touch(result.incidentId, now);
    record.lookAgain = undefined;
    if (record.endedAt !== undefined)
      return { draft: false, reason: `${result.incidentId} is over: nothing to treat` };
    if (record.remediationHold !== undefined)
      return {
        draft: false,
        reason: `${result.incidentId} is under maintenance window ${record.remediationHold} (open, no remediation)`,
      };
    const verdict = this.gate.observe(result, again ? now : undefined);
    if (!verdict.act) {
      if (verdict.retryInMs === undefined) return { draft: false, reason: verdict.reason };
      // a ranking is published only when it changes: nothing may come to ask again
      const at = now + verdict.retryInMs + lookAgainSlackMs;
      record.lookAgain = { at, result };
      return { draft: false, reason: verdict.reason, lookAgainAt: at };
    }
    const { candidate, diagnosis } = verdict;
    return {
      draft: true,
      candidate,
      faultClass: diagnosis.faultClass,
      ...(diagnosis.signature && { signature: diagnosis.signature }),
      incident: record.incident ?? {
        title: `incident ${result.incidentId}`,
        services: candidate.path.slice(-1),
      },
      reason: verdict.reason,
    };
  }

  /** When the earliest second look is due (ms), if any is. */
  nextLookAt(): number | undefined {
    let next: number | undefined;
    for (const { lookAgain } of this.records.values())
      if (lookAgain && (next === undefined || lookAgain.at < next)) next = lookAgain.at;
    return next;
  }

  /** The rankings whose second look is due at `now`; each is handed out once. */
  dueLooks(now: number): RcaResult[] {
    const due: RcaResult[] = [];
    for (const record of this.records.values()) {
      if (!record.lookAgain || record.lookAgain.at > now) continue;
      due.push(record.lookAgain.result);
      record.lookAgain = undefined;
    }
    return due;
  }

  /**
   * Whether a draft that was decided on earlier is still wanted now that it is written. A draft
   * accepted counts towards the incident's plans, and its service is not drafted for again.
   */
  acceptDraft(
    draft: Pick<PlanDraft, 'incidentId' | 'target' | 'faultClass' | 'signature'>,
  ): DraftAcceptance {
    const record = this.records.get(draft.incidentId);
    if (record?.endedAt !== undefined)
      // the symptoms went while the model wrote: a plan now would treat what is already well
      return { accept: false, reason: 'the incident resolved meanwhile' };
    const leader = record?.latest?.candidates[0]?.service;
    if (leader !== undefined && leader !== draft.target)
      // the plan would treat the leader of a diagnosis that is no longer held
      return {
        accept: false,
        reason: `the diagnosis changed meanwhile: ${leader} leads, not ${draft.target}`,
      };
    this.gate.planned(
      draft.incidentId,
      draft.target,
      diagnosisLabel(draft.faultClass, draft.signature),
    );
    return { accept: true };
  }

  /**
   * The number of the incident's next plan: its episode and the attempt within it. Derived from
   * the incident's events and the plans published, not from a clock, so the same plan drafted
   * again (after a restart or a partition move) gets the same id.
   */
  nextPlanNumber(incidentId: string): PlanNumber {
    const record = this.records.get(incidentId);
    return { episode: record?.episode ?? 0, attempt: (record?.publishedInEpisode ?? 0) + 1 };
  }

  /** `plan` went out (drafted from `draft`): diagnoses naming its target wait for its end. */
  published(plan: RemediationPlan, draft: PlanDraft, now: number, memo?: M): void {
    this.gate.treating(draft.target, now);
    const record = this.touch(draft.incidentId, now);
    record.publishedInEpisode++;
    record.knownPlans.add(plan.planId);
    if (draft.fallbackUsed) record.knownGoodTried.add(diagnosisKey(draft.target, draft.faultClass));
    record.plans.set(plan.planId, {
      planId: plan.planId,
      incidentId: draft.incidentId,
      target: draft.target,
      faultClass: draft.faultClass,
      fallbackUsed: draft.fallbackUsed,
      steps: plan.steps,
      replicas: draft.replicas,
      publishedAt: now,
      ...(memo !== undefined && { memo }),
    });
  }

  /** What follows an execution event: only the end of a plan this book published matters. */
  onExecution(event: RemediationExecution): AfterPlanEnd<M> {
    if (event.type !== 'plan-completed' && event.type !== 'plan-aborted')
      return { next: 'nothing' };
    const record = this.records.get(event.incidentId);
    const plan = record?.plans.get(event.planId);
    if (!record || !plan) return { next: 'nothing' };
    record.plans.delete(event.planId);
    const worked = event.type === 'plan-completed';
    this.gate.treated(plan.target, Date.parse(event.at), worked);
    const cause = worked ? 'completed' : String(event.detail['cause'] ?? '');
    const slot = record.followUps.get(event.planId);
    if (slot) return this.afterFirstPlan(record, slot, plan, { worked, cause });
    if (worked) return { next: 'remember', plan };
    return nextAfterFailure(
      plan,
      { type: 'plan-aborted', cause },
      this.isOpen(event.incidentId),
      record.knownGoodTried.has(diagnosisKey(plan.target, plan.faultClass)),
    );
  }

  /**
   * `first` went out as the known-good plan before the model was asked: the model's draft, written
   * meanwhile, may follow it (libs/planning followUpVerdict says when). Until that draft is
   * offered, ends and offers are matched in whichever order they come.
   */
  awaitFollowUp(first: Pick<RemediationPlan, 'planId' | 'incidentId' | 'steps'>): void {
    const record = this.records.get(first.incidentId);
    if (!record) return;
    const steps = first.steps.map((s) => ({ action: s.action, target: s.target }));
    record.followUps.set(first.planId, { first: { planId: first.planId, steps } });
  }

  /**
   * Why the model's follow-up to the known-good plan `after` can no longer matter, or undefined
   * while it can: asked before the model is, since a draft nobody waits for costs the drafting
   * lane seconds that a live incident's draft could use.
   */
  staleFollowUp(incidentId: string, after: string): string | undefined {
    const record = this.records.get(incidentId);
    const slot = record?.followUps.get(after);
    if (!record || !slot) return unknownFollowUp(after);
    if (record.endedAt !== undefined) return `the incident ended`;
    if (slot.end?.worked) return `${after} completed: no second plan`;
    return undefined;
  }

  /**
   * The model's draft to follow the known-good plan `after` (or why none came): published now
   * (that plan failed already), held until that plan ends, or dropped. Decided once: a later offer
   * for the same plan is dropped.
   */
  offerFollowUp(incidentId: string, after: string, offer: FollowUpInput['offer']): FollowUpVerdict {
    const record = this.records.get(incidentId);
    const slot = record?.followUps.get(after);
    if (!record || !slot) return { next: 'drop', reason: unknownFollowUp(after) };
    const verdict = this.followUpOf(incidentId, record, slot, offer);
    if (verdict.next === 'hold' && 'draft' in offer) slot.draft = offer.draft;
    else record.followUps.delete(after);
    return verdict;
  }

  /** The end of a known-good plan that went first: its held follow-up decided, if written. */
  private afterFirstPlan(
    record: IncidentRecord<M>,
    slot: FollowUpSlot,
    plan: OutstandingPlan<M>,
    end: FirstPlanEnd,
  ): AfterPlanEnd<M> {
    if (!slot.draft) {
      slot.end = end;
      const reason = "the model's follow-up is still being written";
      return end.worked ? { next: 'remember', plan } : { next: 'wait', plan, reason };
    }
    record.followUps.delete(plan.planId);
    slot.end = end;
    const verdict = this.followUpOf(plan.incidentId, record, slot, { draft: slot.draft });
    if (verdict.next === 'publish')
      return { next: 'retry', plan, draft: verdict.draft, reason: verdict.reason };
    return end.worked
      ? { next: 'remember', plan, dropped: verdict.reason }
      : { next: 'stop', plan, reason: `follow-up dropped: ${verdict.reason}` };
  }

  private followUpOf(
    incidentId: string,
    record: IncidentRecord<M>,
    slot: FollowUpSlot,
    offer: FollowUpInput['offer'],
  ): FollowUpVerdict {
    const leader = record.latest?.candidates[0]?.service;
    return followUpVerdict({
      first: slot.first,
      offer,
      ...(slot.end && { end: slot.end }),
      incidentOpen: this.isOpen(incidentId),
      ...(leader !== undefined && { leader }),
    });
  }

  /**
   * Forgets incidents that ended more than `endedRetainMs` ago with no plan out, and any not heard
   * of for `idleMs`; returns how many went.
   */
  evict(now: number): number {
    this.evictedAt = now;
    this.gate.sweep(now);
    let evicted = 0;
    for (const [incidentId, record] of this.records) {
      const over =
        record.endedAt !== undefined &&
        now - record.endedAt >= this.options.endedRetainMs &&
        record.plans.size === 0;
      if (over || now - record.heardAt >= this.options.idleMs) {
        this.forget(incidentId);
        evicted++;
      }
    }
    return evicted;
  }

  private evictNowAndThen(now: number): void {
    if (now - this.evictedAt >= evictEveryMs) this.evict(now);
  }

  /** An event other than its end, for an incident that ended: it reopened, a new episode. */
  private reopenIfEnded(record: IncidentRecord<M>): void {
    if (record.endedAt === undefined) return;
    record.endedAt = undefined;
    record.episode++;
    record.publishedInEpisode = 0;
    record.knownGoodTried.clear();
  }

  private end(incidentId: string, now: number): void {
    const record = this.touch(incidentId, now);
    record.endedAt = now;
    record.incident = undefined;
    record.latest = undefined;
    record.lookAgain = undefined;
    this.gate.forget(incidentId);
  }

  /** The incident's record, made if new, moved to the most recently heard of. */
  private touch(incidentId: string, now: number): IncidentRecord<M> {
    const record = this.records.get(incidentId) ?? {
      plans: new Map(),
      knownPlans: new Set<string>(),
      episode: 0,
      publishedInEpisode: 0,
      knownGoodTried: new Set<string>(),
      followUps: new Map<string, FollowUpSlot>(),
      heardAt: now,
    };
    record.heardAt = now;
    this.records.delete(incidentId);
    this.records.set(incidentId, record);
    for (const oldest of this.records.keys()) {
      if (this.records.size <= this.options.maxIncidents) break;
      this.forget(oldest);
    }
    return record;
  }

  private forget(incidentId: string): void {
    this.records.delete(incidentId);
    this.gate.forget(incidentId);
  }
}

/**
 * What a plan's id says it was, read against an incident in `episode` with `published` plans in
 * it: any attempt of that episode, or the first of a later one. A plan of an earlier episode (or
 * an id that says nothing) gets episode -1: it counts towards no episode.
 */
function numberOf(
  plan: RemediationPlan,
  episode: number,
  published: number,
): { target: string; number: PlanNumber } {
  for (let attempt = published; attempt >= 0; attempt--) {
    const decoded = decodePlan(plan, { episode, attempt });
    if (planIdFor(plan.incidentId, decoded.target, decoded.number) === plan.planId) return decoded;
  }
  const { target } = decodePlan(plan, undefined);
  return { target, number: { episode: -1, attempt: 0 } };
}
