import type { IncidentEvent, RemediationExecution, RemediationPlan } from '@vigil/contracts';
import { IncidentPlanBook } from './incident-plan-book';
import { decodePlan, restoreIncidents } from './plan-book-rebuild';
import { planFromDraft, planIdFor, type PlanDraft } from './plan-draft';
import { at, candidate, incidentEvent, iso, ranking, t0 } from './testing/plan-book-fixtures';

/** payment is gone (TargetDown) and its throughput fell: a crash, decisive on its own. */
const payment = candidate('payment', 1, 'f');
const paymentRanking = (incidentId: string, seconds: number) =>
  ranking(incidentId, seconds, payment);

const draft = (incidentId: string): PlanDraft => ({
  incidentId,
  target: 'payment',
  faultClass: 'crash',
  replicas: 2,
  summary: 'roll payment back',
  steps: [{ action: 'rollback-deployment', target: 'payment', params: {}, verification: [] }],
  fallbackUsed: false,
  promptHash: 'abc',
  similarPlans: [],
});

function ended(plan: RemediationPlan, type: 'plan-completed' | 'plan-aborted', seconds: number) {
  const event: RemediationExecution = {
    schemaVersion: 1,
    eventId: `${plan.planId}:end`,
    planId: plan.planId,
    incidentId: plan.incidentId,
    type,
    at: iso(seconds),
    detail: type === 'plan-aborted' ? { cause: 'failed' } : {},
  };
  return event;
}

/** A planner's life as its topics keep it: incidents, plans, executions. */
class Topics {
  readonly book = new IncidentPlanBook({ coolDownMs: 120_000 });
  readonly incidents: IncidentEvent[] = [];
  readonly plans: RemediationPlan[] = [];
  readonly executions: RemediationExecution[] = [];

  incident(event: IncidentEvent): void {
    this.incidents.push(event);
    this.book.onIncident(event, Date.parse(event.at));
  }

  /** Drafts for the ranking if the book says so, as the planner's worker does. */
  rank(incidentId: string, seconds: number): RemediationPlan | undefined {
    const decision = this.book.shouldDraft(paymentRanking(incidentId, seconds), at(seconds));
    if (!decision.draft) return undefined;
    this.book.acceptDraft({ incidentId, target: 'payment', faultClass: decision.faultClass });
    return this.publish(draft(incidentId), seconds);
  }

  publish(d: PlanDraft, seconds: number): RemediationPlan {
    const plan = planFromDraft(d, at(seconds), 'm', this.book.nextPlanNumber(d.incidentId));
    this.plans.push(plan);
    this.book.published(plan, d, at(seconds));
    return plan;
  }

  end(event: RemediationExecution) {
    this.executions.push(event);
    return this.book.onExecution(event);
  }

  /** The book of a planner that starts now: incidents replayed, then plans and their ends. */
  restarted(now: number): IncidentPlanBook {
    const book = new IncidentPlanBook({ coolDownMs: 120_000 });
    for (const event of this.incidents) book.onIncident(event, Date.parse(event.at));
    // Kafka delivers at least once: every record twice changes nothing
    const plans = [...this.plans, ...this.plans];
    book.restore(restoreIncidents(plans, [...this.executions, ...this.executions]), now);
    return book;
  }
}

describe('the plan book rebuilt from the topics at a restart', () => {
  it('does not draft again for a diagnosis whose plan is out', () => {
    const topics = new Topics();
    topics.incident(incidentEvent('inc-1', 'opened', 0));
    expect(topics.rank('inc-1', 1)).toBeDefined();

    const book = topics.restarted(at(2));
    const again = book.shouldDraft(paymentRanking('inc-1', 3), at(3));
    expect(again).toMatchObject({ draft: false, reason: 'a plan on payment is under way' });
  });

  it('numbers the next plan where the last one left off, and follows a failed plan up', () => {
    const topics = new Topics();
    topics.incident(incidentEvent('inc-1', 'opened', 0));
    const first = topics.rank('inc-1', 1);
    expect(first).toBeDefined();

    const book = topics.restarted(at(2));
    expect(book.nextPlanNumber('inc-1')).toEqual({ episode: 0, attempt: 2 });
    // the plan out fails after the restart: the known-good runbook follows, as it would have
    const after = first && book.onExecution(ended(first, 'plan-aborted', 30));
    expect(after).toMatchObject({ next: 'retry' });
  });

  it('gives a later episode a new plan id, never an earlier one', () => {
    const topics = new Topics();
    topics.incident(incidentEvent('inc-1', 'opened', 0));
    const first = topics.rank('inc-1', 1) as RemediationPlan;
    topics.end(ended(first, 'plan-completed', 30));
    topics.incident(incidentEvent('inc-1', 'resolved', 40));
    topics.incident(incidentEvent('inc-1', 'opened', 300));
    const second = topics.rank('inc-1', 301) as RemediationPlan;
    expect(second.planId).not.toBe(first.planId);
    topics.end(ended(second, 'plan-completed', 330));
    topics.incident(incidentEvent('inc-1', 'resolved', 400));
    topics.incident(incidentEvent('inc-1', 'opened', 700));

    const book = topics.restarted(at(701));
    expect(book.nextPlanNumber('inc-1')).toEqual(topics.book.nextPlanNumber('inc-1'));
    expect(book.nextPlanNumber('inc-1')).toEqual({ episode: 2, attempt: 1 });
    const third = paymentRanking('inc-1', 702);
    expect(book.shouldDraft(third, at(702))).toEqual(topics.book.shouldDraft(third, at(702)));
    expect(book.shouldDraft(third, at(702)).draft).toBe(true);
  });

  it('sends no known-good retry after a follow-up that failed, when the known-good plan went first', () => {
    const topics = new Topics();
    topics.incident(incidentEvent('inc-1', 'opened', 0));
    const restart = { action: 'restart' as const, target: 'payment', params: {}, verification: [] };
    const knownGood = { ...draft('inc-1'), steps: [restart], fallbackUsed: true };
    const first = topics.publish({ ...knownGood, promptHash: 'known-good' }, 1);
    topics.end(ended(first, 'plan-aborted', 20));
    const followUp = topics.publish(draft('inc-1'), 21);

    const book = topics.restarted(at(22));
    expect(book.onExecution(ended(followUp, 'plan-aborted', 40))).toMatchObject({
      next: 'stop',
      reason: 'the known-good runbook for crash on payment went out already',
    });
  });

  it('keeps the cool-down of a plan that worked', () => {
    const topics = new Topics();
    topics.incident(incidentEvent('inc-1', 'opened', 0));
    const first = topics.rank('inc-1', 1) as RemediationPlan;
    topics.end(ended(first, 'plan-completed', 30));
    topics.incident(incidentEvent('inc-2', 'opened', 40));

    const book = topics.restarted(at(41));
    expect(book.shouldDraft(paymentRanking('inc-2', 45), at(45))).toMatchObject({
      draft: false,
      reason: 'payment was just treated: its effects are awaited',
    });
  });
});

describe('reading a plan id back', () => {
  const plan = (episode: number, attempt: number) =>
    planFromDraft(draft('inc-9'), t0, 'm', { episode, attempt });

  it('finds the episode and attempt a plan id was made from', () => {
    const restored = restoreIncidents([plan(0, 1), plan(0, 2), plan(3, 1)], []);
    expect(restored).toHaveLength(1);
    expect(restored[0]?.plans.map((p) => p.number)).toEqual([
      { episode: 0, attempt: 1 },
      { episode: 0, attempt: 2 },
      { episode: 3, attempt: 1 },
    ]);
    expect(restored[0]).toMatchObject({ episode: 3, publishedInEpisode: 1 });
  });

  it('counts a plan whose id says nothing (an older planner) as the next attempt', () => {
    const old = { ...plan(0, 1), planId: 'plan-inc-9-1733150000000' };
    expect(decodePlan(old, { episode: 2, attempt: 1 })).toEqual({
      target: 'payment',
      number: { episode: 2, attempt: 2 },
    });
    expect(planIdFor('inc-9', 'payment', { episode: 0, attempt: 1 })).toBe(plan(0, 1).planId);
  });
});
