import type { PlanStep, RcaResult, RemediationExecution } from '@vigil/contracts';
import { IncidentPlanBook } from './incident-plan-book';
import { knownGoodDraft } from './known-good-first';
import { planFromDraft, type PlanDraft } from './plan-draft';
import { at, candidate, incidentEvent, ranking } from './testing/plan-book-fixtures';

/** One candidate alone leads decisively: drafted for at once. */
const decisive = (incidentId: string, seconds: number, service = 'payment') =>
  ranking(incidentId, seconds, candidate(service, 1));

const step = (action: PlanStep['action'], target: string): Omit<PlanStep, 'stepId'> => ({
  action,
  target,
  params: {},
  rationale: '',
  verification: [],
});

function draftFor(
  incidentId: string,
  steps = [step('rollback-deployment', 'payment')],
  over: Partial<PlanDraft> = {},
): PlanDraft {
  return {
    incidentId,
    target: 'payment',
    faultClass: 'crash',
    replicas: 2,
    summary: 'roll payment back',
    steps,
    fallbackUsed: false,
    promptHash: 'abc',
    similarPlans: [],
    ...over,
  };
}

/** Publishes `draft` into the book as the planner does, at `seconds`. */
function publish<M>(book: IncidentPlanBook<M>, draft: PlanDraft, seconds: number, memo?: M) {
  const plan = planFromDraft(
    draft,
    at(seconds),
    'test-model',
    book.nextPlanNumber(draft.incidentId),
  );
  book.published(plan, draft, at(seconds), memo);
  return plan;
}

function end(
  plan: { planId: string; incidentId: string },
  type: 'plan-completed' | 'plan-aborted',
  cause = 'failed',
  seconds = 60,
): RemediationExecution {
  return {
    schemaVersion: 1,
    eventId: `${plan.planId}:end`,
    planId: plan.planId,
    incidentId: plan.incidentId,
    type,
    at: new Date(at(seconds)).toISOString(),
    detail: type === 'plan-aborted' ? { cause } : {},
  };
}

/** An open incident with a decisive ranking, as the planner hears of them. */
function openIncident(book: IncidentPlanBook, incidentId: string, seconds = 0): RcaResult {
  book.onIncident(incidentEvent(incidentId, 'opened', seconds), at(seconds));
  const result = decisive(incidentId, seconds);
  book.onRanking(result, at(seconds));
  return result;
}

describe('IncidentPlanBook: when to draft', () => {
  it('drafts for a firm diagnosis, with its fault class and the incident as its events tell', () => {
    const book = new IncidentPlanBook();
    const result = openIncident(book, 'inc-1');
    expect(book.shouldDraft(result, at(0))).toMatchObject({
      draft: true,
      candidate: { service: 'payment' },
      faultClass: 'crash',
      incident: { title: 'checkout errors', services: ['checkout'] },
    });
  });

  it('drafts nothing for an incident opened under an open-no-remediate maintenance window', () => {
    const book = new IncidentPlanBook();
    const opened = incidentEvent('inc-mw', 'opened');
    if (opened.type !== 'opened') throw new Error('an opened event');
    book.onIncident({ ...opened, remediationHold: { maintenanceWindowId: 'mw-db' } }, at(0));
    const result = decisive('inc-mw', 0);
    book.onRanking(result, at(0));
    expect(book.shouldDraft(result, at(0))).toEqual({
      draft: false,
      reason: 'inc-mw is under maintenance window mw-db (open, no remediation)',
    });
  });

  it('names an incident it never heard of by its id and the end of the explaining path', () => {
    const book = new IncidentPlanBook();
    const result = decisive('inc-unseen', 0);
    book.onRanking(result, at(0));
    expect(book.shouldDraft(result, at(0))).toMatchObject({
      draft: true,
      incident: { title: 'incident inc-unseen', services: ['frontend'] },
    });
  });

  it('looks again at a diagnosis once its wait is over, unless a newer ranking came first', () => {
    const book = new IncidentPlanBook({ settleMs: 8_000 });
    book.onIncident(incidentEvent('inc-1', 'opened'), at(0));
    const close = ranking('inc-1', 0, candidate('payment', 1), candidate('checkout', 0.8));
    book.onRanking(close, at(0));
    const decision = book.shouldDraft(close, at(0));
    expect(decision).toMatchObject({ draft: false, lookAgainAt: at(8) + 50 });
    expect(book.nextLookAt()).toBe(at(8) + 50);
    expect(book.dueLooks(at(7))).toEqual([]);
    expect(book.dueLooks(at(9))).toEqual([close]);
    expect(book.dueLooks(at(10))).toEqual([]); // handed out once
    expect(book.shouldDraft(close, at(9), true)).toMatchObject({ draft: true });

    // a newer ranking decided on first replaces the pending look
    book.onIncident(incidentEvent('inc-2', 'opened'), at(0));
    const other = ranking('inc-2', 0, candidate('cart', 1), candidate('checkout', 0.8));
    book.shouldDraft(other, at(0));
    expect(book.nextLookAt()).toBeDefined();
    const moved = ranking('inc-2', 1, candidate('cart', 1));
    book.onRanking(moved, at(1));
    expect(book.shouldDraft(moved, at(1))).toMatchObject({ draft: true });
    expect(book.nextLookAt()).toBeUndefined();
  });

  it('drafts at most maxPlans plans per incident, and never twice for one service', () => {
    const book = new IncidentPlanBook({ maxPlans: 2 });
    book.onIncident(incidentEvent('inc-1', 'opened'), at(0));
    for (const [seconds, service] of [
      [0, 'payment'],
      [10, 'cart'],
    ] as const) {
      const result = decisive('inc-1', seconds, service);
      book.onRanking(result, at(seconds));
      expect(book.shouldDraft(result, at(seconds))).toMatchObject({ draft: true });
      expect(
        book.acceptDraft({ incidentId: 'inc-1', target: service, faultClass: 'crash' }),
      ).toEqual({ accept: true });
    }
    const back = decisive('inc-1', 20, 'payment');
    book.onRanking(back, at(20));
    expect(book.shouldDraft(back, at(20))).toMatchObject({ draft: false });
    const third = decisive('inc-1', 30, 'catalog');
    book.onRanking(third, at(30));
    expect(book.shouldDraft(third, at(30))).toMatchObject({
      draft: false,
      reason: expect.stringContaining('for a human'),
    });
  });

  it('holds a service while a plan on it is out, in every incident that names it', () => {
    const book = new IncidentPlanBook();
    openIncident(book, 'inc-1');
    publish(book, draftFor('inc-1'), 0);
    const elsewhere = openIncident(book, 'inc-2', 1);
    expect(book.shouldDraft(elsewhere, at(1))).toMatchObject({
      draft: false,
      reason: 'a plan on payment is under way',
      lookAgainAt: expect.any(Number),
    });
  });
});

describe('IncidentPlanBook: a draft written while the world moved', () => {
  it('drops a draft whose service no longer leads the newest ranking, and does not count it', () => {
    const book = new IncidentPlanBook();
    const result = openIncident(book, 'inc-1');
    expect(book.shouldDraft(result, at(0))).toMatchObject({ draft: true });
    // while the model writes, the diagnosis moves to cart
    book.onRanking(decisive('inc-1', 5, 'cart'), at(5));
    expect(
      book.acceptDraft({ incidentId: 'inc-1', target: 'payment', faultClass: 'crash' }),
    ).toEqual({
      accept: false,
      reason: 'the diagnosis changed meanwhile: cart leads, not payment',
    });
    // payment was not planned for: when it leads again it is drafted for
    const back = decisive('inc-1', 10);
    book.onRanking(back, at(10));
    expect(book.shouldDraft(back, at(10))).toMatchObject({ draft: true });
    expect(
      book.acceptDraft({ incidentId: 'inc-1', target: 'payment', faultClass: 'crash' }),
    ).toEqual({ accept: true });
  });

  it('drops a draft for an incident that resolved meanwhile, and drafts nothing more for it', () => {
    const book = new IncidentPlanBook();
    const result = openIncident(book, 'inc-1');
    expect(book.shouldDraft(result, at(0))).toMatchObject({ draft: true });
    book.onIncident(incidentEvent('inc-1', 'resolved', 5), at(5));
    expect(
      book.acceptDraft({ incidentId: 'inc-1', target: 'payment', faultClass: 'crash' }),
    ).toEqual({
      accept: false,
      reason: 'the incident resolved meanwhile',
    });
    const late = decisive('inc-1', 6);
    book.onRanking(late, at(6));
    expect(book.shouldDraft(late, at(6))).toMatchObject({ draft: false });
    // it reopens: planned for as new
    book.onIncident(incidentEvent('inc-1', 'alert-attached', 7), at(7));
    const again = decisive('inc-1', 8);
    book.onRanking(again, at(8));
    expect(book.shouldDraft(again, at(8))).toMatchObject({ draft: true });
    expect(
      book.acceptDraft({ incidentId: 'inc-1', target: 'payment', faultClass: 'crash' }),
    ).toEqual({ accept: true });
  });

  it('ends the incident a merge absorbed, not the survivor', () => {
    const book = new IncidentPlanBook();
    openIncident(book, 'inc-1');
    openIncident(book, 'inc-2');
    const opened = incidentEvent('inc-1', 'opened', 3);
    book.onIncident(
      {
        schemaVersion: 1,
        eventId: 'inc-1:merged',
        incidentId: 'inc-1',
        at: opened.at,
        incident: opened.incident,
        type: 'merged',
        mergedIncidentId: 'inc-2',
      },
      at(3),
    );
    expect(book.isOpen('inc-1')).toBe(true);
    expect(book.isOpen('inc-2')).toBe(false);
    expect(
      book.acceptDraft({ incidentId: 'inc-2', target: 'payment', faultClass: 'crash' }),
    ).toMatchObject({
      accept: false,
    });
  });
});

describe('IncidentPlanBook: after a plan ends', () => {
  it('follows a failed model plan with the known-good runbook once', () => {
    const book = new IncidentPlanBook();
    openIncident(book, 'inc-1');
    const plan = publish(book, draftFor('inc-1'), 0);
    const next = book.onExecution(end(plan, 'plan-aborted'));
    expect(next).toMatchObject({ next: 'retry', plan: { planId: plan.planId } });
    if (next.next !== 'retry') throw new Error('no retry');
    expect(next.draft).toMatchObject({
      incidentId: 'inc-1',
      target: 'payment',
      fallbackUsed: true,
      promptHash: 'known-good',
      summary: `Known-good runbook for crash on payment, after ${plan.planId} failed`,
    });
    expect(next.draft.steps.map((s) => `${s.action} ${s.target}`)).toEqual(['restart payment']);

    // the known-good runbook fails too: the incident is for a human
    const retry = publish(book, next.draft, 70);
    expect(book.onExecution(end(retry, 'plan-aborted', 'failed', 80))).toMatchObject({
      next: 'stop',
      reason: 'the failed plan was the known-good runbook already',
    });
    // the end is heard once
    expect(book.onExecution(end(retry, 'plan-aborted', 'failed', 81))).toEqual({ next: 'nothing' });
  });

  it('does not retry with a runbook that does what failed', () => {
    const book = new IncidentPlanBook();
    openIncident(book, 'inc-1');
    const plan = publish(book, draftFor('inc-1', [step('restart', 'payment')]), 0);
    expect(book.onExecution(end(plan, 'plan-aborted'))).toMatchObject({
      next: 'stop',
      reason: expect.stringContaining('does what'),
    });
  });

  it('lets a denial stand, and retries nothing for an incident that is over', () => {
    const book = new IncidentPlanBook();
    openIncident(book, 'inc-1');
    const denied = publish(book, draftFor('inc-1'), 0);
    expect(book.onExecution(end(denied, 'plan-aborted', 'denied'))).toMatchObject({ next: 'stop' });

    const failed = publish(book, draftFor('inc-1'), 10);
    book.onIncident(incidentEvent('inc-1', 'resolved', 20), at(20));
    expect(book.onExecution(end(failed, 'plan-aborted'))).toMatchObject({
      next: 'stop',
      reason: 'inc-1 is not open here: no retry for it',
    });
  });

  it('hands back a plan that worked with what was kept with it, and ignores what is not its own', () => {
    const book = new IncidentPlanBook<string>();
    openIncident(book, 'inc-1');
    const plan = publish(book, draftFor('inc-1'), 0, 'remember me');
    expect(book.onExecution({ ...end(plan, 'plan-completed'), type: 'step-started' })).toEqual({
      next: 'nothing',
    });
    expect(book.onExecution(end({ ...plan, planId: 'plan-other' }, 'plan-completed'))).toEqual({
      next: 'nothing',
    });
    expect(book.onExecution(end(plan, 'plan-completed'))).toMatchObject({
      next: 'remember',
      plan: { planId: plan.planId, memo: 'remember me' },
    });
  });

  it('waits out the effects of a plan that worked, and not those of one that failed', () => {
    const book = new IncidentPlanBook({ coolDownMs: 60_000 });
    openIncident(book, 'inc-1');
    const worked = publish(book, draftFor('inc-1'), 0);
    book.onExecution(end(worked, 'plan-completed', '', 30));
    const soon = openIncident(book, 'inc-2', 40);
    expect(book.shouldDraft(soon, at(40))).toMatchObject({
      draft: false,
      lookAgainAt: at(40) + 50_000 + 50,
    });

    const book2 = new IncidentPlanBook({ coolDownMs: 60_000 });
    openIncident(book2, 'inc-1');
    const failed = publish(book2, draftFor('inc-1', [step('restart', 'payment')]), 0);
    book2.onExecution(end(failed, 'plan-aborted', 'failed', 30));
    const next = openIncident(book2, 'inc-2', 40);
    expect(book2.shouldDraft(next, at(40))).toMatchObject({ draft: true });
  });
});

describe("IncidentPlanBook: known-good first, the model's plan after it", () => {
  /** The known-good plan of payment's crash goes out, waiting for the model's follow-up. */
  function knownGoodFirst(book: IncidentPlanBook, seconds = 0) {
    openIncident(book, 'inc-1', seconds);
    const draft = knownGoodDraft({
      incidentId: 'inc-1',
      target: 'payment',
      faultClass: 'crash',
      replicas: 2,
    });
    if (!draft) throw new Error('crash has a known-good runbook');
    expect(book.acceptDraft(draft)).toEqual({ accept: true });
    const first = publish(book, draft, seconds);
    book.awaitFollowUp(first);
    return first;
  }
  const rollback = { draft: draftFor('inc-1', [step('rollback-deployment', 'payment')]) };

  it('holds a follow-up that treats something new until the first plan fails, then sends it', () => {
    const book = new IncidentPlanBook();
    const first = knownGoodFirst(book);
    expect(book.offerFollowUp('inc-1', first.planId, rollback)).toMatchObject({ next: 'hold' });
    const after = book.onExecution(end(first, 'plan-aborted'));
    expect(after).toMatchObject({
      next: 'retry',
      draft: { fallbackUsed: false, steps: [{ action: 'rollback-deployment' }] },
      reason: `${first.planId} failed; the model's plan tries rollback-deployment payment`,
    });
    // the next attempt of the episode: a plan id of its own
    expect(book.nextPlanNumber('inc-1')).toEqual({ episode: 0, attempt: 2 });
  });

  it('sends a follow-up written after the first plan failed at once', () => {
    const book = new IncidentPlanBook();
    const first = knownGoodFirst(book);
    expect(book.onExecution(end(first, 'plan-aborted'))).toMatchObject({
      next: 'wait',
      reason: "the model's follow-up is still being written",
    });
    expect(book.offerFollowUp('inc-1', first.planId, rollback)).toMatchObject({
      next: 'publish',
      draft: { steps: [{ action: 'rollback-deployment' }] },
    });
    // decided once
    expect(book.offerFollowUp('inc-1', first.planId, rollback)).toMatchObject({ next: 'drop' });
  });

  it('says when a follow-up no longer matters, so the model is not asked for it', () => {
    const book = new IncidentPlanBook();
    const first = knownGoodFirst(book);
    expect(book.staleFollowUp('inc-1', first.planId)).toBeUndefined();
    // the first plan failed: the draft is what comes next, wanted more than ever
    book.onExecution(end(first, 'plan-aborted'));
    expect(book.staleFollowUp('inc-1', first.planId)).toBeUndefined();

    const healed = new IncidentPlanBook();
    const first2 = knownGoodFirst(healed);
    healed.onExecution(end(first2, 'plan-completed'));
    expect(healed.staleFollowUp('inc-1', first2.planId)).toBe(
      `${first2.planId} completed: no second plan`,
    );

    const ended = new IncidentPlanBook();
    const first3 = knownGoodFirst(ended);
    ended.onIncident(incidentEvent('inc-1', 'resolved', 20), at(20));
    expect(ended.staleFollowUp('inc-1', first3.planId)).toBe('the incident ended');

    const forgotten = new IncidentPlanBook({ maxIncidents: 1 });
    const first4 = knownGoodFirst(forgotten);
    openIncident(forgotten, 'inc-2', 10);
    expect(forgotten.staleFollowUp('inc-1', first4.planId)).toBe(
      `${first4.planId} is no longer known here`,
    );
  });

  it('drops the follow-up when the first plan healed, in either order', () => {
    const book = new IncidentPlanBook();
    const first = knownGoodFirst(book);
    book.offerFollowUp('inc-1', first.planId, rollback);
    expect(book.onExecution(end(first, 'plan-completed'))).toMatchObject({
      next: 'remember',
      dropped: `${first.planId} completed: no second plan`,
    });

    const book2 = new IncidentPlanBook();
    const first2 = knownGoodFirst(book2);
    expect(book2.onExecution(end(first2, 'plan-completed'))).toMatchObject({ next: 'remember' });
    expect(book2.offerFollowUp('inc-1', first2.planId, rollback)).toMatchObject({ next: 'drop' });
  });

  it("drops a follow-up that treats nothing new: the first plan's failure is then for a human", () => {
    const book = new IncidentPlanBook();
    const first = knownGoodFirst(book);
    const same = { draft: draftFor('inc-1', [step('restart', 'payment')]) };
    expect(book.offerFollowUp('inc-1', first.planId, same)).toMatchObject({
      next: 'drop',
      reason: expect.stringContaining('treats nothing'),
    });
    expect(book.onExecution(end(first, 'plan-aborted'))).toMatchObject({
      next: 'stop',
      reason: 'the failed plan was the known-good runbook already',
    });
  });

  it('lets a denial of the first plan stand, and sends nothing for an incident that ended', () => {
    const book = new IncidentPlanBook();
    const first = knownGoodFirst(book);
    book.offerFollowUp('inc-1', first.planId, rollback);
    expect(book.onExecution(end(first, 'plan-aborted', 'denied'))).toMatchObject({
      next: 'stop',
      reason: `follow-up dropped: ${first.planId} was denied: that decision stands`,
    });

    const book2 = new IncidentPlanBook();
    const first2 = knownGoodFirst(book2);
    book2.onExecution(end(first2, 'plan-aborted'));
    book2.onIncident(incidentEvent('inc-1', 'resolved', 20), at(20));
    expect(book2.offerFollowUp('inc-1', first2.planId, rollback)).toMatchObject({
      next: 'drop',
      reason: expect.stringContaining('not open'),
    });
  });

  it('never follows a failed follow-up with the known-good runbook that went first', () => {
    const book = new IncidentPlanBook();
    const first = knownGoodFirst(book);
    book.offerFollowUp('inc-1', first.planId, rollback);
    const after = book.onExecution(end(first, 'plan-aborted'));
    if (after.next !== 'retry') throw new Error('no follow-up');
    const followUp = publish(book, after.draft, 70);
    expect(book.onExecution(end(followUp, 'plan-aborted', 'failed', 80))).toMatchObject({
      next: 'stop',
      reason: 'the known-good runbook for crash on payment went out already',
    });
    // the same model plan with no known-good plan before it is followed by the runbook
    const book2 = new IncidentPlanBook();
    openIncident(book2, 'inc-1');
    const alone = publish(book2, rollback.draft, 0);
    expect(book2.onExecution(end(alone, 'plan-aborted'))).toMatchObject({ next: 'retry' });
  });

  it('answers an offer for a plan it does not know with a drop', () => {
    expect(new IncidentPlanBook().offerFollowUp('inc-1', 'plan-x', rollback)).toEqual({
      next: 'drop',
      reason: 'plan-x is no longer known here',
    });
  });
});

describe('IncidentPlanBook: bounded memory', () => {
  it('forgets an ended incident after endedRetainMs, but not while a plan of it is out', () => {
    const book = new IncidentPlanBook({ endedRetainMs: 60_000 });
    openIncident(book, 'inc-1');
    openIncident(book, 'inc-2');
    const plan = publish(book, draftFor('inc-2'), 0);
    book.onIncident(incidentEvent('inc-1', 'resolved', 10), at(10));
    book.onIncident(incidentEvent('inc-2', 'resolved', 10), at(10));
    expect(book.evict(at(30))).toBe(0);
    expect(book.evict(at(70))).toBe(1);
    expect(book.size).toBe(1);
    // the plan's end is still heard
    expect(book.onExecution(end(plan, 'plan-completed'))).toMatchObject({ next: 'remember' });
    expect(book.evict(at(80))).toBe(1);
    expect(book.size).toBe(0);
  });

  it('forgets an incident not heard of for idleMs, with what was planned for it', () => {
    const book = new IncidentPlanBook({ idleMs: 3_600_000 });
    const result = openIncident(book, 'inc-1');
    book.shouldDraft(result, at(0));
    book.acceptDraft({ incidentId: 'inc-1', target: 'payment', faultClass: 'crash' });
    expect(book.evict(at(3_599))).toBe(0);
    expect(book.evict(at(3_600))).toBe(1);
    expect(book.isOpen('inc-1')).toBe(false);
    const later = decisive('inc-1', 3_700);
    book.onRanking(later, at(3_700));
    expect(book.shouldDraft(later, at(3_700))).toMatchObject({ draft: true });
  });

  it('keeps at most maxIncidents, the most recently heard of', () => {
    const book = new IncidentPlanBook({ maxIncidents: 2 });
    openIncident(book, 'inc-1', 0);
    openIncident(book, 'inc-2', 1);
    book.onRanking(decisive('inc-1', 2), at(2)); // inc-1 heard of again
    openIncident(book, 'inc-3', 3);
    expect(book.size).toBe(2);
    expect(book.isOpen('inc-1')).toBe(true);
    expect(book.isOpen('inc-2')).toBe(false);
    expect(book.isOpen('inc-3')).toBe(true);
  });

  it('forgets on its own as incidents come and go', () => {
    const book = new IncidentPlanBook({ endedRetainMs: 1_000 });
    for (let i = 0; i < 100; i++) {
      openIncident(book, `inc-${i}`, i * 60);
      book.onIncident(incidentEvent(`inc-${i}`, 'resolved', i * 60 + 1), at(i * 60 + 1));
    }
    expect(book.size).toBeLessThan(3);
  });
});

describe('planFromDraft', () => {
  it('numbers the steps, writes the headline and keeps where the plan came from', () => {
    const plan = planFromDraft(
      draftFor('inc-1', [step('rollback-deployment', 'payment')], { similarPlans: ['plan-old'] }),
      at(0),
      'gemma',
      { episode: 0, attempt: 1 },
    );
    expect(plan).toMatchObject({
      planId: expect.stringMatching(/^plan-inc-1-[0-9a-f]{16}$/),
      incidentId: 'inc-1',
      createdAt: '2026-11-27T10:00:00.000Z',
      faultClass: 'crash',
      summary: 'roll payment back',
      steps: [{ stepId: 's1', action: 'rollback-deployment', target: 'payment' }],
      provenance: {
        model: 'gemma',
        promptHash: 'abc',
        fallbackUsed: false,
        similarPlans: ['plan-old'],
      },
    });
    expect(plan.headline).toMatch(/^crash on payment: .*rollback-deployment payment/);
  });
});

describe('IncidentPlanBook: plan ids', () => {
  /** What a planner that starts now, fed the same incident and ranking, publishes first. */
  function firstPlanOf(book: IncidentPlanBook, seconds: number) {
    openIncident(book, 'inc-1');
    return publish(book, draftFor('inc-1'), seconds);
  }

  it('gives the same plan the same id when a restarted planner drafts it again', () => {
    const before = firstPlanOf(new IncidentPlanBook(), 1);
    const after = firstPlanOf(new IncidentPlanBook(), 90);
    expect(after.planId).toBe(before.planId);
    expect(after.createdAt).not.toBe(before.createdAt);
  });

  it('gives the next plan of the episode, and the plans of a reopened incident, new ids', () => {
    const book = new IncidentPlanBook();
    const first = firstPlanOf(book, 1);
    expect(book.nextPlanNumber('inc-1')).toEqual({ episode: 0, attempt: 2 });
    const second = publish(book, draftFor('inc-1'), 2);
    book.onIncident(incidentEvent('inc-1', 'resolved', 3), at(3));
    book.onIncident(incidentEvent('inc-1', 'alert-attached', 4), at(4));
    expect(book.nextPlanNumber('inc-1')).toEqual({ episode: 1, attempt: 1 });
    const reopened = publish(book, draftFor('inc-1'), 5);
    expect(new Set([first.planId, second.planId, reopened.planId]).size).toBe(3);
  });

  it('starts a new episode only when an ended incident hears of new alerts', () => {
    const book = new IncidentPlanBook();
    openIncident(book, 'inc-1');
    book.onIncident(incidentEvent('inc-1', 'alert-attached', 2), at(2));
    book.onIncident(incidentEvent('inc-1', 'resolved', 3), at(3));
    book.onIncident(incidentEvent('inc-1', 'resolved', 4), at(4));
    expect(book.nextPlanNumber('inc-1')).toEqual({ episode: 0, attempt: 1 });
  });
});

describe('IncidentPlanBook: plans another planner of the group published', () => {
  /** Two planners of one group: each hears the incident and the ranking; `first` publishes. */
  function twoPlanners() {
    const first = new IncidentPlanBook();
    const second = new IncidentPlanBook();
    const result = openIncident(first, 'inc-1');
    openIncident(second, 'inc-1');
    const plan = publish(first, draftFor('inc-1'), 1);
    return { first, second, result, plan };
  }

  it('does not draft again for a diagnosis another planner planned, when its incident moves over', () => {
    const { second, result, plan } = twoPlanners();
    second.learnPlan(plan, at(2));
    expect(second.shouldDraft(result, at(3))).toMatchObject({ draft: false });
    expect(second.nextPlanNumber('inc-1')).toEqual({ episode: 0, attempt: 2 });
  });

  it('counts its own plan once when the topic brings it back', () => {
    const { first, plan } = twoPlanners();
    first.learnPlan(plan, at(2));
    expect(first.nextPlanNumber('inc-1')).toEqual({ episode: 0, attempt: 2 });
  });

  it('follows up the end of a plan another planner published', () => {
    const { second, plan } = twoPlanners();
    second.learnPlan(plan, at(2));
    expect(second.onExecution(end(plan, 'plan-aborted'))).toMatchObject({
      next: 'retry',
      plan: { planId: plan.planId },
      draft: { fallbackUsed: true, target: 'payment' },
    });
  });

  it("takes a later episode from a plan's id, and an earlier episode's plan changes no count", () => {
    const { first, second, plan } = twoPlanners();
    // the first planner heard the incident resolve and come back; the second has not yet
    first.onIncident(incidentEvent('inc-1', 'resolved', 3), at(3));
    first.onIncident(incidentEvent('inc-1', 'alert-attached', 4), at(4));
    const reopened = publish(first, draftFor('inc-1'), 5);
    second.learnPlan(reopened, at(6));
    expect(second.nextPlanNumber('inc-1')).toEqual({ episode: 1, attempt: 2 });
    second.learnPlan(plan, at(7));
    expect(second.nextPlanNumber('inc-1')).toEqual({ episode: 1, attempt: 2 });
  });
});
