import { knownGoodRetry, type DraftedPlan } from './known-good-retry';

const drafted = (over: Partial<DraftedPlan> = {}): DraftedPlan => ({
  planId: 'plan-1',
  target: 'payment',
  faultClass: 'errors',
  fallbackUsed: false,
  steps: [{ action: 'scale', target: 'payment' }],
  replicas: 1,
  ...over,
});

describe('knownGoodRetry', () => {
  it('follows a model plan that failed with the known-good runbook for the diagnosis', () => {
    const decision = knownGoodRetry(drafted(), { type: 'plan-aborted', cause: 'failed' });
    expect(decision.retry).toBe(true);
    if (decision.retry)
      expect(decision.steps.map((s) => `${s.action} ${s.target}`)).toEqual([
        'run-diagnostic payment',
        'restart payment',
      ]);
  });

  it('lets a denial, a rejection or a cancellation stand', () => {
    for (const cause of ['denied', 'rejected', 'cancelled', 'inconsistent'])
      expect(knownGoodRetry(drafted(), { type: 'plan-aborted', cause }).retry).toBe(false);
  });

  it('retries once: a failed known-good runbook goes to a human', () => {
    const decision = knownGoodRetry(drafted({ fallbackUsed: true }), {
      type: 'plan-aborted',
      cause: 'failed',
    });
    expect(decision).toMatchObject({ retry: false });
  });

  it('does not repeat what failed: a failed rollback of a bad deploy is not rolled back again', () => {
    const decision = knownGoodRetry(
      drafted({
        faultClass: 'bad-deploy',
        steps: [
          { action: 'run-diagnostic', target: 'payment' },
          { action: 'rollback-deployment', target: 'payment' },
        ],
      }),
      { type: 'plan-aborted', cause: 'failed' },
    );
    expect(decision).toMatchObject({ retry: false });
  });

  it('does not retry a completed plan or an unknown fault', () => {
    expect(knownGoodRetry(drafted(), { type: 'plan-completed' }).retry).toBe(false);
    expect(
      knownGoodRetry(drafted({ faultClass: 'unknown' }), { type: 'plan-aborted', cause: 'stuck' })
        .retry,
    ).toBe(false);
  });
});
