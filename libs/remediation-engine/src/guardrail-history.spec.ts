import type { RemediationPlan } from '@vigil/contracts';
import { CLOSED_CIRCUIT, evaluateStep, parsePolicy, type StepContext } from '@vigil/guardrails';
import {
  guardrailHistory,
  planRetainMs,
  rebuildRuns,
  runForgettable,
  stalledRetryDelayMs,
} from './guardrail-history';
import { startRun } from './rebuild';
import { BEFORE, PLAN, T0, drive, newWorld } from './testing/engine-fixtures';

/** One scale of checkout per hour: the first plan's s1 used it up. */
const policy = parsePolicy({
  environments: {
    production: { rateLimits: { perTarget: { max: 1, windowSeconds: 3600 } } },
    staging: {},
  },
});

const LATER: RemediationPlan = {
  ...PLAN,
  planId: 'plan-2',
  steps: [{ ...PLAN.steps[0], stepId: 's1' }],
};

function verdictOn(history: StepContext['history']) {
  return evaluateStep(LATER.steps[0], {
    policy,
    environment: 'production',
    topology: { targets: BEFORE },
    history,
    planId: LATER.planId,
    decisions: [],
    circuit: CLOSED_CIRCUIT,
    now: T0 + 120_000,
  });
}

describe('the guardrail history rebuilt from the audit trail', () => {
  const world = newWorld();
  drive(startRun(PLAN), {}, world);

  it('makes a restarted executor deny a step over the rate limit', () => {
    const runs = rebuildRuns([PLAN, LATER], world.log, 'production');
    const verdict = verdictOn(guardrailHistory(runs.values()));
    expect(verdict.verdict).toBe('deny');
    expect(verdict.reasons.map((r) => r.code)).toContain('rate-limit-target');
  });

  it('is what a forgetful restart would lack: without it the step is allowed', () => {
    expect(verdictOn([]).reasons.map((r) => r.code)).not.toContain('rate-limit-target');
  });

  it('counts each event once however often Kafka delivered it', () => {
    const twice = rebuildRuns([PLAN], [...world.log, ...world.log], 'production');
    const once = rebuildRuns([PLAN], world.log, 'production');
    expect(guardrailHistory(twice.values())).toEqual(guardrailHistory(once.values()));
    expect(guardrailHistory(once.values()).filter((r) => r.mode === 'live')).toHaveLength(3);
  });

  it('leaves out plans run in another environment and plans it has no trail of', () => {
    expect(rebuildRuns([PLAN, LATER], world.log, 'staging').size).toBe(0);
    expect([...rebuildRuns([PLAN, LATER], world.log).keys()]).toEqual(['plan-1']);
  });

  it('lets an ended run be forgotten only once the retention is over', () => {
    const run = rebuildRuns([PLAN], world.log).get('plan-1');
    expect(run?.ended).toBeDefined();
    const endedAt = run?.ended?.at ?? 0;
    expect(run && runForgettable(run, endedAt + 1000, 60_000)).toBe(false);
    expect(run && runForgettable(run, endedAt + 61_000, 60_000)).toBe(true);
    expect(runForgettable(startRun(PLAN), endedAt + 10 ** 9, 60_000)).toBe(false);
  });
});

describe('keeping and retrying plans', () => {
  it('keeps ended plans at least as long as the longest guardrail window', () => {
    expect(planRetainMs(policy, 60_000)).toBe(3_600_000);
    expect(planRetainMs(policy, 86_400_000)).toBe(86_400_000);
  });

  it('retries a stalled plan after a wait that doubles, up to a bound', () => {
    expect([1, 2, 3, 4].map((n) => stalledRetryDelayMs(n, 1000, 5000))).toEqual([
      1000, 2000, 4000, 5000,
    ]);
    expect(stalledRetryDelayMs(500)).toBe(300_000);
  });
});
