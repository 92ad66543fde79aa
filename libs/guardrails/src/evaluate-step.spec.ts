import { evaluateStep } from './evaluate-step';
import { CircuitBreaker } from './circuit-breaker';
import type { Reason, StepVerdict } from './verdict';
import {
  MIN,
  NOW,
  context,
  decision,
  executed,
  step,
  testPolicy,
  TOPOLOGY,
} from './testing/guardrail-fixtures';

const codes = (v: StepVerdict): string[] => v.reasons.map((r) => r.code);
const byCode = (v: StepVerdict, code: Reason['code']): Reason | undefined =>
  v.reasons.find((r) => r.code === code);

describe('evaluateStep: what the step is', () => {
  it('allows a low-risk catalog action on a known target', () => {
    const v = evaluateStep(step('run-diagnostic', 'cart', { check: 'thread-dump' }), context());
    expect(v.verdict).toBe('allow');
    expect(v.reasons).toEqual([]);
    expect(v.checked).toMatchObject({ risk: 'low', approval: { required: 'none' } });
  });

  it('asks a responder for a feature flag, and denies a flag its target does not declare', () => {
    const declared = evaluateStep(
      step('toggle-feature-flag', 'frontend', { flag: 'new-search', enabled: false }),
      context(),
    );
    expect(declared.verdict).toBe('needs-approval');
    expect(declared.checked).toMatchObject({ risk: 'medium', approval: { required: 'responder' } });
    const invented = evaluateStep(
      step('toggle-feature-flag', 'frontend', { flag: 'skip-auth', enabled: true }),
      context({ decisions: [decision('approve', 'approver')] }),
    );
    expect(invented.verdict).toBe('deny');
    expect(byCode(invented, 'undeclared-flag')?.message).toBe(
      'flag "skip-auth" is not declared by frontend (it declares new-search)',
    );
    const none = evaluateStep(
      step('toggle-feature-flag', 'cart', { flag: 'new-search', enabled: true }),
      context({ decisions: [decision('approve', 'approver')] }),
    );
    expect(byCode(none, 'undeclared-flag')?.message).toBe(
      'flag "new-search" is not declared by cart (it declares no flags)',
    );
  });

  it('lets the treatments of faults a restart cannot cure through only with the right approval', () => {
    const treatments = [
      step('rollback-config', 'cart', {}),
      step('clear-cache-key', 'cart', { key: 'cart:hot' }),
      step('free-disk', 'cart', {}),
      step('release-lock', 'cart', { lock: 'orders' }),
      step('rotate-credentials', 'cart', { dependency: 'cache' }),
    ];
    for (const treatment of treatments) {
      const unattended = evaluateStep(treatment, context());
      // whole-service by nature (one config, key, volume, lock, secret): held by approval only
      expect(codes(unattended)).toEqual(['approval-required']);
      const role = treatment.action === 'rollback-config' ? 'approver' : 'responder';
      const approved = evaluateStep(treatment, context({ decisions: [decision('approve', role)] }));
      expect(approved.verdict).toBe('allow');
    }
    expect(evaluateStep(step('free-disk', 'cart', { area: 'data' }), context()).verdict).toBe(
      'deny',
    );
  });

  it('denies an environment without a policy', () => {
    const v = evaluateStep(
      step('run-diagnostic', 'cart', { check: 'thread-dump' }),
      context({ environment: 'prod' }),
    );
    expect(v.verdict).toBe('deny');
    expect(codes(v)).toEqual(['unknown-environment']);
  });

  it('denies actions outside the catalog and bad parameters with the catalog reason', () => {
    const unknown = evaluateStep(step('delete-namespace', 'checkout'), context());
    expect(unknown.verdict).toBe('deny');
    expect(byCode(unknown, 'unknown-action')?.message).toBe(
      'action "delete-namespace" is not in the catalog',
    );
    for (const action of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(evaluateStep(step(action, 'checkout'), context()).reasons[0].code).toBe(
        'unknown-action',
      );
    }
    const bad = evaluateStep(step('scale', 'checkout', { replicas: 0 }), context());
    expect(bad.verdict).toBe('deny');
    expect(byCode(bad, 'bad-params')?.message).toMatch(/scaling to 0 stops the service/);
    const shell = evaluateStep(
      step('restart', 'checkout', { command: 'kubectl delete ns prod' }),
      context(),
    );
    expect(codes(shell)).toContain('bad-params');
  });

  it('denies parameters that are not an object, or too large, before parsing them', () => {
    for (const params of [null, 'rm -rf /', [1, 2], 42]) {
      expect(evaluateStep(step('restart', 'checkout', params), context()).verdict).toBe('deny');
    }
    const big = evaluateStep(
      step('flush-cache', 'cart', { keyPattern: 'a'.repeat(5000) }),
      context(),
    );
    expect(codes(big)).toContain('params-too-large');
    expect(big.checked.paramsBytes).toBeGreaterThan(2048);
  });

  it('denies a catalog action the environment does not allow', () => {
    const ctx = context({
      policy: testPolicy({ allowedActions: ['run-diagnostic'], dryRunFirst: false }),
    });
    const v = evaluateStep(step('restart', 'checkout'), ctx);
    expect(byCode(v, 'action-not-allowed')?.message).toBe('restart is not allowed in production');
  });
});

describe('evaluateStep: targets', () => {
  it('denies targets outside the topology, prototype names included', () => {
    for (const target of ['payments', 'constructor', '__proto__', 'toString', 'checkout ']) {
      const v = evaluateStep(step('run-diagnostic', target, { check: 'thread-dump' }), context());
      expect(v.verdict).toBe('deny');
      expect(codes(v)).toContain('unknown-target');
    }
  });

  it('applies denied and allowed target patterns', () => {
    const policy = testPolicy({
      deniedTargets: ['catalog-*'],
      allowedTargets: ['c*'],
      dryRunFirst: false,
    });
    const denied = evaluateStep(
      step('run-diagnostic', 'catalog-db', { check: 'thread-dump' }),
      context({ policy }),
    );
    expect(byCode(denied, 'target-denied')?.message).toBe(
      'target "catalog-db" is denied by "catalog-*" in production',
    );
    const notAllowed = evaluateStep(
      step('run-diagnostic', 'frontend', { check: 'thread-dump' }),
      context({ policy }),
    );
    expect(codes(notAllowed)).toEqual(['target-not-allowed']);
    const fine = evaluateStep(
      step('run-diagnostic', 'cart', { check: 'thread-dump' }),
      context({ policy }),
    );
    expect(fine.verdict).toBe('allow');
  });
});

describe('evaluateStep: blast radius', () => {
  const approved = { decisions: [decision('approve', 'responder')] };

  it('denies a step above the limit, saying how many instances it touches', () => {
    const v = evaluateStep(step('restart', 'checkout', { batchSize: 3 }), context(approved));
    expect(v.verdict).toBe('deny');
    expect(byCode(v, 'blast-radius')?.message).toBe(
      'restart touches 3 of 4 instances of checkout (75%), above the limit of 34%',
    );
    expect(v.checked.blastRadius).toEqual({
      step: 0.75,
      others: 0,
      total: 0.75,
      limit: 0.34,
      instances: 4,
    });
  });

  it('allows a step exactly at the limit', () => {
    const policy = testPolicy({ blastRadius: { max: 0.5 }, dryRunFirst: false });
    const v = evaluateStep(
      step('restart', 'checkout', { batchSize: 2 }),
      context({ ...approved, policy }),
    );
    expect(v.verdict).toBe('allow');
    const over = evaluateStep(
      step('restart', 'cart', { batchSize: 2 }),
      context({ ...approved, policy }),
    );
    expect(codes(over)).toContain('blast-radius');
  });

  it('counts running and settling steps on the same target, not settled or dry-run ones', () => {
    const one = { blastRadius: 0.25 };
    const restart = step('restart', 'checkout');
    const policy = testPolicy({
      blastRadius: { max: 0.5 },
      maxConcurrentPerTarget: 5,
      dryRunFirst: false,
    });
    const base = { ...approved, policy };
    const running = executed('restart', 'checkout', 1, {
      ...one,
      outcome: 'running',
      finishedAt: undefined,
    });
    const settling = executed('drain-instance', 'checkout', 4, one); // finished 3 min ago, settle is 5
    const settled = executed('restart', 'checkout', 6, one); // finished exactly 5 min ago
    const dry = executed('restart', 'checkout', 1, { ...one, mode: 'dry-run' });
    expect(
      evaluateStep(restart, context({ ...base, history: [running, settled, dry] })).verdict,
    ).toBe('allow');
    const v = evaluateStep(restart, context({ ...base, history: [running, settling] }));
    expect(v.checked.blastRadius).toMatchObject({ others: 0.5, total: 0.75 });
    expect(byCode(v, 'blast-radius')?.message).toBe(
      'restart touches 1 of 4 instances of checkout (25%) while other steps still touch 2: 75% in all, above the limit of 50%',
    );
  });

  it('sizes a record without a share from its parameters, or as the whole target', () => {
    const policy = testPolicy({
      blastRadius: { max: 0.5 },
      maxConcurrentPerTarget: 5,
      dryRunFirst: false,
    });
    const sized = executed('restart', 'checkout', 1, {
      blastRadius: undefined,
      params: { batchSize: 1 },
      outcome: 'running',
    });
    const unsized = executed('restart', 'checkout', 1, {
      blastRadius: undefined,
      outcome: 'running',
    });
    const restart = step('restart', 'checkout');
    expect(evaluateStep(restart, context({ ...approved, policy, history: [sized] })).verdict).toBe(
      'allow',
    );
    expect(
      codes(evaluateStep(restart, context({ ...approved, policy, history: [unsized] }))),
    ).toContain('blast-radius');
  });

  describe('a service too small for the limit', () => {
    const topology = { targets: { ...TOPOLOGY.targets, payment: { replicas: 1 } } };
    const restart = step('restart', 'payment');

    it('asks an approver for a step on its one instance, instead of refusing it for good', () => {
      const v = evaluateStep(restart, context({ topology }));
      expect(v.verdict).toBe('needs-approval');
      expect(byCode(v, 'blast-radius')).toEqual({
        code: 'blast-radius',
        effect: 'needs-approval',
        message:
          'restart touches the only instance of payment (100%), above the limit of 34%; a one-instance service cannot be treated within it',
      });
      expect(v.checked.approval.required).toBe('approver');
      expect(v.checked.blastRadius).toMatchObject({ step: 1, approval: 'approver' });

      const byResponder = evaluateStep(
        restart,
        context({ topology, decisions: [decision('approve', 'responder')] }),
      );
      expect(byResponder.verdict).toBe('needs-approval');
      expect(codes(byResponder)).toContain('approval-not-counted');

      const byApprover = evaluateStep(
        restart,
        context({ topology, decisions: [decision('approve', 'approver')] }),
      );
      expect(byApprover.verdict).toBe('allow');
      expect(byCode(byApprover, 'blast-radius')?.effect).toBe('note');
    });

    it('still refuses one of two instances, approved or not: that halves the service', () => {
      const one = evaluateStep(
        step('restart', 'catalog-db'),
        context({ decisions: [decision('approve', 'approver')] }),
      );
      expect(one.verdict).toBe('deny');
      const both = evaluateStep(
        step('restart', 'catalog-db', { batchSize: 2 }),
        context({ decisions: [decision('approve', 'approver')] }),
      );
      expect(both.verdict).toBe('deny');
      expect(byCode(both, 'blast-radius')?.message).toBe(
        'restart touches 2 of 2 instances of catalog-db (100%), above the limit of 34%',
      );
    });

    it('refuses while another step still touches the service, or when the policy says deny', () => {
      const running = executed('restart', 'payment', 1, { outcome: 'running', blastRadius: 1 });
      const policy = testPolicy({ maxConcurrentPerTarget: 5, dryRunFirst: false });
      const busy = evaluateStep(
        restart,
        context({
          topology,
          policy,
          history: [running],
          decisions: [decision('approve', 'approver')],
        }),
      );
      expect(busy.verdict).toBe('deny');
      expect(byCode(busy, 'blast-radius')?.effect).toBe('deny');

      const strict = testPolicy({ blastRadius: { smallServices: 'deny' }, dryRunFirst: false });
      const refused = evaluateStep(
        restart,
        context({ topology, policy: strict, decisions: [decision('approve', 'approver')] }),
      );
      expect(refused.verdict).toBe('deny');
    });
  });

  it('lets whole-service actions use their own limit and ignores steps that touch nothing', () => {
    const flag = evaluateStep(
      step('toggle-feature-flag', 'frontend', { flag: 'new-search', enabled: true }),
      context(approved),
    );
    expect(flag.checked.blastRadius).toMatchObject({ step: 1, limit: 1 });
    expect(flag.verdict).toBe('allow');
    const up = evaluateStep(step('scale', 'cart', { replicas: 10 }), context(approved));
    expect(up.checked.blastRadius?.step).toBe(0);
    expect(up.verdict).toBe('allow');
  });
});

describe('evaluateStep: rate and concurrency', () => {
  const diag = step('run-diagnostic', 'cart', { check: 'thread-dump' });

  it('allows the change that reaches the per-target limit and denies the one above it', () => {
    const restart = step('restart', 'cart', { batchSize: 1 });
    const two = [
      executed('restart', 'cart', 10),
      executed('run-diagnostic', 'cart', 15),
      executed('flush-cache', 'cart', 20),
    ];
    const ok = { decisions: [decision('approve', 'responder')] };
    const v = evaluateStep(restart, context({ ...ok, history: two }));
    expect(v.verdict).toBe('allow');
    expect(v.checked.rate?.target).toEqual({ count: 2, max: 3, windowSeconds: 3600 });
    const three = [...two, executed('restart', 'cart', 59)];
    const denied = evaluateStep(restart, context({ ...ok, history: three }));
    expect(byCode(denied, 'rate-limit-target')?.message).toBe(
      'cart already had 3 step(s) within 3600 s; the limit is 3',
    );
    // a diagnostic changes nothing: never refused for a change budget
    expect(byCode(evaluateStep(diag, context({ history: three })), 'rate-limit-target')).toBe(
      undefined,
    );
  });

  it('forgets a step started exactly one window ago, and ignores dry-runs', () => {
    const history = [
      executed('restart', 'cart', 10),
      executed('restart', 'cart', 20),
      executed('restart', 'cart', 60),
      executed('restart', 'cart', 5, { mode: 'dry-run' }),
    ];
    expect(evaluateStep(diag, context({ history })).verdict).toBe('allow');
  });

  it('limits an action over every target of the environment', () => {
    const history = [
      executed('rollback-deployment', 'cart', 10),
      executed('rollback-deployment', 'frontend', 30),
    ];
    const v = evaluateStep(
      step('rollback-deployment', 'checkout'),
      context({ history, decisions: [decision('approve', 'approver')] }),
    );
    expect(v.checked.rate?.action).toEqual({ count: 2, max: 2, windowSeconds: 3600 });
    expect(byCode(v, 'rate-limit-action')?.message).toBe(
      'rollback-deployment already ran 2 time(s) within 3600 s in this environment; the limit is 2',
    );
  });

  it('denies a step while the target already runs the maximum, exactly at it', () => {
    const running = executed('run-diagnostic', 'cart', 1, {
      outcome: 'running',
      finishedAt: undefined,
    });
    const v = evaluateStep(diag, context({ history: [running] }));
    expect(byCode(v, 'concurrency')?.message).toBe(
      '1 step(s) already running on cart; at most 1 at a time',
    );
    const two = testPolicy({ maxConcurrentPerTarget: 2, dryRunFirst: false });
    expect(evaluateStep(diag, context({ history: [running], policy: two })).verdict).toBe('allow');
  });
});

describe('evaluateStep: maintenance windows', () => {
  const flag = step('toggle-feature-flag', 'frontend', { flag: 'new-search', enabled: true });
  const underMaintenance = { frontend: 'mw-42' };

  it('denies a change on a target under maintenance, whatever the approvals, but lets diagnostics run', () => {
    const v = evaluateStep(
      flag,
      context({ underMaintenance, decisions: [decision('approve', 'approver')] }),
    );
    expect(v.verdict).toBe('deny');
    expect(byCode(v, 'maintenance')?.message).toBe(
      'target "frontend" is under maintenance window mw-42: only diagnostics may run',
    );
    const diagnostic = step('run-diagnostic', 'frontend', { check: 'thread-dump' });
    expect(evaluateStep(diagnostic, context({ underMaintenance })).verdict).toBe('allow');
  });

  it('leaves other targets alone', () => {
    const v = evaluateStep(flag, context({ underMaintenance: { cart: 'mw-42' } }));
    expect(codes(v)).not.toContain('maintenance');
  });
});

describe('evaluateStep: change freezes', () => {
  const freeze = {
    kind: 'absolute',
    name: 'release week',
    from: '2025-06-04T00:00:00Z',
    to: '2025-06-04T12:00:00Z',
  };
  const policy = testPolicy({ freezes: [freeze], dryRunFirst: false });
  const flag = step('toggle-feature-flag', 'frontend', { flag: 'new-search', enabled: true });
  const decisions = [decision('approve', 'responder')];

  it('denies changes during a freeze but lets its allowed actions run', () => {
    const during = context({ policy, now: NOW - MIN });
    const v = evaluateStep(flag, during);
    expect(byCode(v, 'freeze')?.message).toBe(
      'change freeze "release week" is in force; only run-diagnostic may run',
    );
    expect(v.checked.activeFreezes).toEqual(['release week']);
    expect(
      evaluateStep(step('run-diagnostic', 'cart', { check: 'heap-summary' }), during).verdict,
    ).toBe('allow');
  });

  it('ends a freeze at its end time, exclusive', () => {
    expect(evaluateStep(flag, context({ policy, decisions, now: NOW })).verdict).toBe('allow');
  });

  it('is not lifted by any approval', () => {
    const v = evaluateStep(
      flag,
      context({ policy, now: NOW - MIN, decisions: [decision('approve', 'approver')] }),
    );
    expect(v.verdict).toBe('deny');
  });
});

describe('evaluateStep: decisions and approvals', () => {
  const restart = step('restart', 'checkout');
  const rollback = step('rollback-deployment', 'checkout');

  it('asks for a responder on medium risk and an approver on high risk', () => {
    const v = evaluateStep(restart, context());
    expect(v.verdict).toBe('needs-approval');
    expect(byCode(v, 'approval-required')?.message).toBe(
      'restart (medium risk in production) needs an approval by a responder or above',
    );
    expect(
      evaluateStep(restart, context({ decisions: [decision('approve', 'responder')] })).verdict,
    ).toBe('allow');
    expect(
      evaluateStep(rollback, context({ decisions: [decision('approve', 'approver')] })).verdict,
    ).toBe('allow');
  });

  it('does not count approvals by roles that may not approve, and says so', () => {
    const viewer = evaluateStep(restart, context({ decisions: [decision('approve', 'viewer')] }));
    expect(viewer.verdict).toBe('needs-approval');
    expect(byCode(viewer, 'approval-not-counted')?.message).toBe(
      'approval by viewer-user (viewer) does not count: a viewer never approves',
    );
    const responder = evaluateStep(
      rollback,
      context({ decisions: [decision('approve', 'responder')] }),
    );
    expect(responder.verdict).toBe('needs-approval');
    expect(byCode(responder, 'approval-not-counted')?.message).toBe(
      'approval by responder-user (responder) does not count: rollback-deployment (high risk in production) needs an approver or above',
    );
  });

  it('ignores decisions for other plans and decisions dated after now', () => {
    const other = decision('approve', 'approver', { planId: 'plan-2' });
    const future = decision('approve', 'approver', { at: new Date(NOW + MIN).toISOString() });
    const v = evaluateStep(restart, context({ decisions: [other, future] }));
    expect(v.verdict).toBe('needs-approval');
    expect(v.reasons.filter((r) => r.code === 'decision-ignored')).toHaveLength(2);
  });

  it('denies after a reject or a cancel, whoever gave it and whatever else was approved', () => {
    for (const kind of ['reject', 'cancel'] as const) {
      const decisions = [
        decision('approve', 'approver'),
        decision(kind, 'viewer', { reason: 'not now' }),
      ];
      const v = evaluateStep(restart, context({ decisions }));
      expect(v.verdict).toBe('deny');
      expect(byCode(v, kind === 'reject' ? 'rejected' : 'cancelled')?.message).toMatch(
        /by viewer-user \(viewer\) at .*: not now$/,
      );
    }
  });

  it('takes the stricter of two requirements when the policy is configured so', () => {
    const policy = testPolicy({ approvals: { low: 'approver' }, dryRunFirst: false });
    const v = evaluateStep(
      step('run-diagnostic', 'cart', { check: 'recent-logs' }),
      context({ policy }),
    );
    expect(v.checked.approval.required).toBe('approver');
  });
});

describe('evaluateStep: circuit breaker', () => {
  const open = CircuitBreaker.create()
    .record({ result: 'failed', humanApproved: false }, NOW - 30 * MIN)
    .record({ result: 'failed', humanApproved: false }, NOW - 20 * MIN)
    .record({ result: 'failed', humanApproved: false }, NOW - 10 * MIN)
    .toJSON();
  const flag = step('run-diagnostic', 'cart', { check: 'thread-dump' });

  it('asks for a human on every step while open', () => {
    const v = evaluateStep(flag, context({ circuit: open }));
    expect(v.verdict).toBe('needs-approval');
    expect(codes(v)).toEqual(['circuit-open', 'approval-required']);
    expect(byCode(v, 'approval-required')?.message).toBe(
      'every step while the circuit breaker is open needs an approval by a responder or above',
    );
    expect(v.checked.circuit).toMatchObject({ status: 'open' });
  });

  it('allows the step with a human approval, and by itself after the cool-down', () => {
    const approved = evaluateStep(
      flag,
      context({ circuit: open, decisions: [decision('approve', 'responder')] }),
    );
    expect(approved.verdict).toBe('allow');
    expect(evaluateStep(flag, context({ circuit: open, now: NOW + 20 * MIN })).verdict).toBe(
      'allow',
    );
  });
});

describe('evaluateStep: dry-run first', () => {
  const policy = testPolicy({});
  const approved = [decision('approve', 'approver')];
  const restart = step('restart', 'checkout');

  it('asks for a dry-run before the approval, and lists both', () => {
    const v = evaluateStep(restart, context({ policy }));
    expect(v.verdict).toBe('needs-dry-run');
    expect(codes(v)).toEqual(['approval-required', 'dry-run-required']);
  });

  it("counts only this step's own successful dry-run", () => {
    const own = executed('restart', 'checkout', 1, {
      planId: 'plan-1',
      stepId: 's1',
      mode: 'dry-run',
    });
    expect(
      evaluateStep(restart, context({ policy, decisions: approved, history: [own] })).verdict,
    ).toBe('allow');
    const others = [
      { ...own, stepId: 's2' },
      { ...own, planId: 'plan-9' },
      { ...own, outcome: 'failed' as const },
      { ...own, target: 'cart' },
    ];
    for (const record of others) {
      const v = evaluateStep(restart, context({ policy, decisions: approved, history: [record] }));
      expect(v.verdict).toBe('needs-dry-run');
    }
  });

  it('does not ask for one when the adapter cannot dry-run or the policy says not to', () => {
    const failover = evaluateStep(
      step('failover', 'catalog-db'),
      context({ policy, decisions: approved }),
    );
    expect(failover.checked.dryRun).toEqual({ required: false, done: false });
    expect(failover.verdict).toBe('allow');
  });
});

describe('evaluateStep: determinism', () => {
  function deepFreeze<T>(value: T): T {
    if (value && typeof value === 'object') {
      Object.values(value).forEach(deepFreeze);
      Object.freeze(value);
    }
    return value;
  }

  it('gives the same verdict for the same input, and changes nothing in it', () => {
    const ctx = deepFreeze(
      context({
        policy: testPolicy({}),
        history: [executed('restart', 'checkout', 3, { outcome: 'running', blastRadius: 0.25 })],
        decisions: [decision('approve', 'viewer'), decision('approve', 'responder')],
      }),
    );
    const s = deepFreeze(step('restart', 'checkout', { batchSize: 2 }));
    const first = evaluateStep(s, ctx);
    const runs = Array.from({ length: 20 }, () => evaluateStep(s, ctx));
    for (const run of runs) expect(run).toEqual(first);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    expect(first.verdict).toBe('deny');
    expect(codes(first)).toEqual([
      'blast-radius',
      'concurrency',
      'approval-not-counted',
      'approved',
      'dry-run-required',
    ]);
  });
});
