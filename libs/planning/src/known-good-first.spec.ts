import type { PlanStep } from '@vigil/contracts';
import {
  followUpVerdict,
  knownGoodDraft,
  newTreatments,
  type FollowUpInput,
  type Treatment,
} from './known-good-first';
import type { PlanDraft } from './plan-draft';

const step = (action: PlanStep['action'], target = 'payment'): Omit<PlanStep, 'stepId'> => ({
  action,
  target,
  params: {},
  rationale: '',
  verification: [],
});
const names = (steps: readonly Treatment[]) => steps.map((s) => `${s.action} ${s.target}`);

describe('knownGoodDraft', () => {
  it("is the catalog's runbook for the diagnosis, marked as the known-good one", () => {
    const draft = knownGoodDraft({
      incidentId: 'inc-1',
      target: 'payment',
      faultClass: 'overload',
      replicas: 2,
    });
    expect(draft).toMatchObject({
      incidentId: 'inc-1',
      target: 'payment',
      faultClass: 'overload',
      replicas: 2,
      summary: 'Known-good runbook for overload on payment',
      fallbackUsed: true,
      promptHash: 'known-good',
      similarPlans: [],
    });
    expect(draft?.steps).toEqual([
      expect.objectContaining({ action: 'scale', target: 'payment', params: { replicas: 3 } }),
    ]);
  });

  it('is none for a fault no known-good runbook treats (unknown only runs a diagnostic)', () => {
    const input = { incidentId: 'inc-1', target: 'payment', replicas: 1 };
    expect(knownGoodDraft({ ...input, faultClass: 'unknown' })).toBeUndefined();
    for (const faultClass of ['crash', 'bad-deploy', 'bad-config', 'memory-leak'] as const)
      expect(knownGoodDraft({ ...input, faultClass })).toBeDefined();
  });
});

describe('newTreatments: what the follow-up treats that the first plan did not', () => {
  const first = [step('run-diagnostic'), step('restart')];

  it('is nothing for the same target and a subset of its actions, whatever the parameters', () => {
    const wider = { ...step('restart'), params: { batchSize: 2 } };
    expect(newTreatments(first, [wider])).toEqual([]);
    expect(newTreatments(first, [step('restart')])).toEqual([]);
  });

  it('counts no diagnostic as a treatment, even one the first plan did not run', () => {
    const other = { ...step('run-diagnostic'), params: { check: 'heap-summary' } };
    expect(newTreatments([step('restart')], [other, step('restart')])).toEqual([]);
  });

  it('is each action the first plan lacked on the target, once', () => {
    const follow = [step('restart'), step('rollback-deployment'), step('rollback-deployment')];
    expect(names(newTreatments(first, follow))).toEqual(['rollback-deployment payment']);
  });

  it('is every changing step on another service, even an action the first plan took', () => {
    expect(names(newTreatments(first, [step('restart', 'payment-db')]))).toEqual([
      'restart payment-db',
    ]);
  });
});

describe('followUpVerdict', () => {
  const draft = (steps: Array<Omit<PlanStep, 'stepId'>>): PlanDraft => ({
    incidentId: 'inc-1',
    target: 'payment',
    faultClass: 'crash',
    replicas: 2,
    summary: 'the model',
    steps,
    fallbackUsed: false,
    promptHash: 'abc',
    similarPlans: [],
  });
  const input = (over: Partial<FollowUpInput> = {}): FollowUpInput => ({
    first: { planId: 'plan-1', steps: [step('restart')] },
    offer: { draft: draft([step('rollback-deployment')]) },
    incidentOpen: true,
    leader: 'payment',
    ...over,
  });
  const failed = { worked: false, cause: 'failed' };

  it('holds a plan that treats something new while the first plan is out', () => {
    expect(followUpVerdict(input())).toEqual({
      next: 'hold',
      reason: 'it tries rollback-deployment payment; held until plan-1 ends',
    });
  });

  it('publishes it once the first plan failed on its own, the incident open and led by its target', () => {
    for (const cause of ['failed', 'stuck'])
      expect(followUpVerdict(input({ end: { worked: false, cause } }))).toMatchObject({
        next: 'publish',
        draft: { target: 'payment', fallbackUsed: false },
        reason: `plan-1 ${cause}; the model's plan tries rollback-deployment payment`,
      });
    const { leader: _leader, ...noRanking } = input({ end: failed });
    expect(followUpVerdict(noRanking)).toMatchObject({ next: 'publish' });
  });

  it('drops a plan that treats nothing new, before or after the first plan ended', () => {
    const same = { draft: draft([step('run-diagnostic'), step('restart')]) };
    for (const end of [undefined, failed])
      expect(followUpVerdict(input({ offer: same, ...(end && { end }) }))).toMatchObject({
        next: 'drop',
        reason: expect.stringContaining('treats nothing plan-1 did not'),
      });
  });

  it('drops it when no draft came, whatever became of the first plan', () => {
    expect(followUpVerdict(input({ offer: { none: 'the model did not answer' } }))).toEqual({
      next: 'drop',
      reason: 'the model did not answer',
    });
  });

  it('drops it when the first plan healed, or a decision about it stands', () => {
    expect(followUpVerdict(input({ end: { worked: true, cause: 'completed' } }))).toMatchObject({
      next: 'drop',
      reason: 'plan-1 completed: no second plan',
    });
    for (const cause of ['denied', 'expired', 'plan-refused', 'incident-closed'])
      expect(followUpVerdict(input({ end: { worked: false, cause } }))).toMatchObject({
        next: 'drop',
        reason: `plan-1 was ${cause}: that decision stands`,
      });
  });

  it('drops it for an incident that is over, or whose diagnosis moved to another service', () => {
    expect(followUpVerdict(input({ end: failed, incidentOpen: false }))).toMatchObject({
      next: 'drop',
      reason: expect.stringContaining('not open'),
    });
    expect(followUpVerdict(input({ end: failed, leader: 'checkout' }))).toMatchObject({
      next: 'drop',
      reason: 'the diagnosis changed meanwhile: checkout leads, not payment',
    });
  });
});
