import { evaluatePlan, planRefusalReasons } from './evaluate-plan';
import { context, decision, executed, step, testPolicy } from './testing/guardrail-fixtures';

const diag = (target: string, id: string) =>
  step('run-diagnostic', target, { check: 'thread-dump' }, id);

describe('evaluatePlan', () => {
  it('allows a plan whose every step is allowed', () => {
    const v = evaluatePlan(
      { planId: 'plan-1', steps: [diag('cart', 'a'), diag('checkout', 'b')] },
      context(),
    );
    expect(v.verdict).toBe('allow');
    expect(v.steps.map((s) => s.verdict)).toEqual(['allow', 'allow']);
  });

  it("counts the plan's earlier steps toward the per-target rate limit", () => {
    const history = [executed('restart', 'cart', 5)];
    const flush = (id: string) => step('flush-cache', 'cart', { keyPattern: '*' }, id);
    const steps = [flush('a'), flush('b'), flush('c')];
    const ok = { decisions: [decision('approve', 'responder')] };
    const v = evaluatePlan({ planId: 'plan-1', steps }, context({ ...ok, history }));
    expect(v.steps.map((s) => s.verdict)).toEqual(['allow', 'allow', 'deny']);
    expect(v.steps[2].reasons[0].code).toBe('rate-limit-target');
    expect(v.verdict).toBe('deny');
  });

  it('counts earlier steps toward the blast radius: a restart cannot be split into batches', () => {
    const policy = testPolicy({
      rateLimits: { perTarget: { max: 10, windowSeconds: 3600 } },
      dryRunFirst: false,
    });
    const steps = [0, 1, 2].map((i) => step('restart', 'cart', { batchSize: 1 }, `r${i}`));
    const v = evaluatePlan(
      { planId: 'plan-1', steps },
      context({ policy, decisions: [decision('approve', 'responder')] }),
    );
    expect(v.steps.map((s) => s.verdict)).toEqual(['allow', 'deny', 'deny']);
    expect(v.steps[1].reasons[0].message).toBe(
      'restart touches 1 of 3 instances of cart (33%) while other steps still touch 1: 67% in all, above the limit of 34%',
    );
  });

  it('refuses empty, over-long and duplicate-id plans with a plan-level reason', () => {
    const empty = evaluatePlan({ planId: 'plan-1', steps: [] }, context());
    expect(empty.reasons.map((r) => r.code)).toEqual(['empty-plan']);
    const long = evaluatePlan(
      { planId: 'plan-1', steps: Array.from({ length: 11 }, (_, i) => diag(`t${i}`, `s${i}`)) },
      context(),
    );
    expect(long.reasons.map((r) => r.code)).toEqual(['plan-too-long']);
    const dup = evaluatePlan(
      { planId: 'plan-1', steps: [diag('cart', 'x'), diag('checkout', 'x')] },
      context(),
    );
    expect(dup.verdict).toBe('deny');
    expect(dup.reasons[0].message).toBe('step ids used more than once: x');
  });

  it('takes the strongest step verdict and lists every blocking reason', () => {
    const steps = [
      diag('cart', 'a'),
      step('restart', 'checkout', {}, 'b'),
      step('exec', 'checkout', {}, 'c'),
    ];
    const v = evaluatePlan({ planId: 'plan-1', steps }, context());
    expect(v.steps.map((s) => s.verdict)).toEqual(['allow', 'needs-approval', 'deny']);
    expect(v.verdict).toBe('deny');
    expect(planRefusalReasons(v).map((r) => r.code)).toEqual([
      'approval-required',
      'unknown-action',
    ]);
  });

  it('reads decisions for its own plan id only', () => {
    const decisions = [decision('approve', 'responder', { planId: 'plan-2' })];
    const v = evaluatePlan(
      { planId: 'plan-1', steps: [step('restart', 'checkout')] },
      context({ decisions }),
    );
    expect(v.verdict).toBe('needs-approval');
    const other = evaluatePlan(
      { planId: 'plan-2', steps: [step('restart', 'checkout')] },
      context({ decisions }),
    );
    expect(other.verdict).toBe('allow');
  });
});
