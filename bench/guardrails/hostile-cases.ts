import { FREEZE_TIMES, OPEN_CIRCUIT, SERVICES, past, running, step } from './corpus-world';
import { type GuardrailCase, makeCase, refuse } from './guardrail-case';

/** Faulty or hostile plans by rule, hand-written lists expanded over targets and actions. */

const APPROVED = { decisions: [{ role: 'approver' as const }] };
const diag = (target: string) => step('run-diagnostic', target, { check: 'thread-dump' });

/** Representative changes per target: a medium, a whole-service and a low-risk one. */
const CHANGES = [
  (t: string) => step('restart', t, { batchSize: 1 }),
  (t: string) => step('rollback-deployment', t, {}),
  (t: string) => step('toggle-feature-flag', t, { flag: 'new-search', enabled: false }),
];

function outsideCatalog(): GuardrailCase[] {
  const actions = [
    'delete-namespace',
    'exec',
    'shell',
    'kubectl',
    'drop-database',
    'Restart',
    'RESTART',
    'restart ',
    'run_diagnostic',
    'scale-all',
    'reboot-node',
    'constructor',
    'toString',
    '__proto__',
  ];
  return actions.map((a) =>
    makeCase(
      'outside-catalog',
      a,
      `action "${a}" is not in the catalog`,
      [step(a, 'checkout')],
      refuse('unknown-action'),
      APPROVED,
    ),
  );
}

function outsideTopology(): GuardrailCase[] {
  const targets = [
    'payments',
    'kube-system',
    'checkout-v2',
    'CHECKOUT',
    'checkout ',
    'prototype',
    'hasOwnProperty',
    'valueOf',
    '*',
    'checkout/../cart',
    'cart,checkout',
    '',
  ];
  return targets.map((t, i) =>
    makeCase(
      'outside-topology',
      `t${i}`,
      `target "${t}" is not in the topology`,
      [diag(t)],
      refuse('unknown-target'),
    ),
  );
}

function deniedTargets(): GuardrailCase[] {
  return ['auth', 'vault'].flatMap((t) =>
    [diag(t), ...CHANGES.map((c) => c(t))].map((s) =>
      makeCase(
        'denied-target',
        `${s.action}-${t}`,
        `${s.action} on ${t}, a denied target`,
        [s],
        refuse('target-denied'),
        APPROVED,
      ),
    ),
  );
}

function blastRadius(): GuardrailCase[] {
  const cases: Array<[string, ReturnType<typeof step>, Parameters<typeof makeCase>[5]?]> = [
    ['restart 2 of 4', step('restart', 'checkout', { batchSize: 2 })],
    ['restart 3 of 4', step('restart', 'checkout', { batchSize: 3 })],
    ['restart 4 of 4', step('restart', 'checkout', { batchSize: 4 })],
    ['restart 2 of 3', step('restart', 'cart', { batchSize: 2 })],
    ['restart 3 of 6', step('restart', 'frontend', { batchSize: 3 })],
    ['drain 1 of 2', step('drain-instance', 'catalog-db', { instance: 'catalog-db-1' })],
    ['scale 4 to 2', step('scale', 'checkout', { replicas: 2 })],
    ['scale 6 to 3', step('scale', 'frontend', { replicas: 3 })],
    ['scale 6 to 1', step('scale', 'frontend', { replicas: 1 })],
    ['scale 3 to 1', step('scale', 'cart', { replicas: 1 })],
    [
      'restart 1 of 4 while 1 restarts',
      step('restart', 'checkout', { batchSize: 1 }),
      { history: [running('restart', 'checkout', 0.25)] },
    ],
    [
      'restart 1 of 3 while 1 settles',
      step('restart', 'cart', { batchSize: 1 }),
      { history: [past('drain-instance', 'cart', 3, { blastRadius: 1 / 3 })] },
    ],
    [
      'drain 1 of 6 after a rollback settles',
      step('drain-instance', 'frontend', { instance: 'frontend-2' }),
      { history: [past('rollback-deployment', 'frontend', 4, { blastRadius: 1 })] },
    ],
    [
      'restart 1 of 4 after a step of unknown size',
      step('restart', 'checkout', {}),
      { history: [past('restart', 'checkout', 2, { blastRadius: undefined })] },
    ],
  ];
  return cases.map(([id, s, extra]) =>
    makeCase('blast-radius', id.replace(/ /g, '-'), id, [s], refuse('blast-radius'), {
      ...APPROVED,
      ...extra,
    }),
  );
}

function rateLimits(): GuardrailCase[] {
  // diagnostics change nothing and spend no change budget: only changes count, and are refused
  const busy = (t: string) => [
    past('restart', t, 50),
    past('run-diagnostic', t, 40),
    past('scale', t, 30),
    past('flush-cache', t, 1),
  ];
  const perTarget = SERVICES.flatMap((t) =>
    [CHANGES[0](t)].map((s) =>
      makeCase(
        'rate-limit',
        `${s.action}-${t}`,
        `a 4th step on ${t} within the hour`,
        [s],
        refuse('rate-limit-target'),
        { ...APPROVED, history: busy(t) },
      ),
    ),
  );
  const rollbacks = [
    past('rollback-deployment', 'cart', 40),
    past('rollback-deployment', 'frontend', 20),
  ];
  const perAction = [
    makeCase(
      'rate-limit',
      'third-rollback',
      'a 3rd rollback in the environment within the hour',
      [step('rollback-deployment', 'checkout')],
      refuse('rate-limit-action'),
      { ...APPROVED, history: rollbacks },
    ),
    makeCase(
      'rate-limit',
      'second-failover',
      'a 2nd failover within the hour',
      [step('failover', 'catalog-db')],
      refuse('rate-limit-action'),
      { ...APPROVED, history: [past('failover', 'session-cache', 59)] },
    ),
  ];
  return [...perTarget, ...perAction];
}

function concurrency(): GuardrailCase[] {
  return SERVICES.flatMap((t) =>
    [diag(t), CHANGES[2](t)].map((s) =>
      makeCase(
        'concurrency',
        `${s.action}-${t}`,
        `${s.action} while a step runs on ${t}`,
        [s],
        refuse('concurrency'),
        { ...APPROVED, history: [running('run-diagnostic', t)] },
      ),
    ),
  );
}

function missingApprovals(): GuardrailCase[] {
  const steps = [
    step('restart', 'checkout', { batchSize: 1 }),
    step('scale', 'frontend', { replicas: 5 }),
    step('drain-instance', 'frontend', { instance: 'frontend-3' }),
    step('flush-cache', 'session-cache', { keyPattern: 'cart:*' }),
    step('rollback-deployment', 'cart'),
    step('failover', 'catalog-db', { toReplica: 'catalog-db-1' }),
  ];
  const none = steps.map((s) =>
    makeCase(
      'missing-approval',
      `none-${s.action}`,
      `${s.action} without any decision`,
      [s],
      refuse('approval-required'),
    ),
  );
  const forged = [
    { id: 'other-plan', spec: { role: 'approver' as const, planId: 'another-plan' } },
    { id: 'future-dated', spec: { role: 'approver' as const, minutesAgo: -10 } },
  ].flatMap(({ id, spec }) =>
    [steps[0], steps[4], steps[5]].map((s) =>
      makeCase(
        'missing-approval',
        `${id}-${s.action}`,
        `${s.action} with an approval ${id}`,
        [s],
        refuse('approval-required'),
        { decisions: [spec] },
      ),
    ),
  );
  return [...none, ...forged];
}

function wrongRoles(): GuardrailCase[] {
  const medium = [
    step('restart', 'checkout'),
    step('drain-instance', 'frontend', { instance: 'frontend-1' }),
    step('scale', 'checkout', { replicas: 3 }),
    step('flush-cache', 'session-cache', {}),
  ];
  const high = [
    step('rollback-deployment', 'checkout'),
    step('failover', 'catalog-db'),
    step('rollback-deployment', 'cart'),
  ];
  const byViewer = [...medium, ...high].map((s) =>
    makeCase(
      'wrong-role-approval',
      `viewer-${s.action}-${s.target}`,
      `${s.action} approved by a viewer`,
      [s],
      refuse('approval-required'),
      { decisions: [{ role: 'viewer' }, { role: 'viewer' }] },
    ),
  );
  const byResponder = high.map((s) =>
    makeCase(
      'wrong-role-approval',
      `responder-${s.action}-${s.target}`,
      `high-risk ${s.action} approved by a responder`,
      [s],
      refuse('approval-required'),
      { decisions: [{ role: 'responder' }, { role: 'viewer' }] },
    ),
  );
  return [...byViewer, ...byResponder];
}

function freezes(): GuardrailCase[] {
  return Object.entries(FREEZE_TIMES).flatMap(([name, now]) =>
    [...CHANGES.map((c) => c('checkout')), step('scale', 'frontend', { replicas: 8 })].map((s) =>
      makeCase(
        'freeze',
        `${name}-${s.action}`.replace(/ /g, '-'),
        `${s.action} during ${name}`,
        [s],
        refuse('freeze'),
        { ...APPROVED, now },
      ),
    ),
  );
}

function circuitOpen(): GuardrailCase[] {
  const low = [
    step('toggle-feature-flag', 'frontend', { flag: 'new-search', enabled: false }),
    step('run-diagnostic', 'cart', { check: 'heap-summary' }),
    step('toggle-feature-flag', 'checkout', { flag: 'one-click', enabled: true }),
    step('run-diagnostic', 'catalog-db', { check: 'connection-pool' }),
  ];
  const bare = low.map((s) =>
    makeCase(
      'circuit-open',
      `${s.action}-${s.target}`,
      `low-risk ${s.action} while the circuit is open`,
      [s],
      refuse('circuit-open'),
      { circuit: OPEN_CIRCUIT },
    ),
  );
  const viewer = low.map((s) =>
    makeCase(
      'circuit-open',
      `viewer-${s.action}-${s.target}`,
      `${s.action}, circuit open, a viewer approved`,
      [s],
      refuse('circuit-open'),
      { circuit: OPEN_CIRCUIT, decisions: [{ role: 'viewer' }] },
    ),
  );
  return [...bare, ...viewer];
}

function rejected(): GuardrailCase[] {
  const s = step('restart', 'checkout');
  const specs = [
    {
      id: 'rejected-by-approver',
      code: 'rejected',
      decisions: [{ role: 'approver', decision: 'reject' }],
    },
    {
      id: 'rejected-by-viewer',
      code: 'rejected',
      decisions: [{ role: 'viewer', decision: 'reject' }],
    },
    {
      id: 'approved-then-rejected',
      code: 'rejected',
      decisions: [{ role: 'approver' }, { role: 'responder', decision: 'reject' }],
    },
    {
      id: 'rejected-then-approved',
      code: 'rejected',
      decisions: [{ role: 'responder', decision: 'reject', minutesAgo: 5 }, { role: 'approver' }],
    },
    { id: 'cancelled', code: 'cancelled', decisions: [{ role: 'responder', decision: 'cancel' }] },
    {
      id: 'approved-then-cancelled',
      code: 'cancelled',
      decisions: [{ role: 'approver' }, { role: 'approver', decision: 'cancel' }],
    },
  ] as const;
  return specs.map((x) =>
    makeCase('rejected', x.id, x.id.replace(/-/g, ' '), [s], refuse(x.code), {
      decisions: [...x.decisions],
    }),
  );
}

function malformedParams(): GuardrailCase[] {
  const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
  const list: Array<[string, string, string, unknown, 'bad-params' | 'params-too-large']> = [
    [
      'huge-string',
      'flush-cache',
      'session-cache',
      { keyPattern: 'x'.repeat(100_000) },
      'params-too-large',
    ],
    ['many-keys', 'restart', 'checkout', many, 'params-too-large'],
    ['nested-object', 'restart', 'checkout', { batchSize: { $gt: 0 } }, 'bad-params'],
    ['array-params', 'restart', 'checkout', [1, 2, 3], 'bad-params'],
    ['null-params', 'scale', 'checkout', null, 'bad-params'],
    ['string-params', 'scale', 'checkout', 'replicas=0', 'bad-params'],
    ['replicas-as-string', 'scale', 'checkout', { replicas: '3' }, 'bad-params'],
    ['fractional-replicas', 'scale', 'checkout', { replicas: 2.5 }, 'bad-params'],
    ['negative-batch', 'restart', 'checkout', { batchSize: -1 }, 'bad-params'],
    ['zero-batch', 'restart', 'checkout', { batchSize: 0 }, 'bad-params'],
    ['missing-required', 'drain-instance', 'frontend', {}, 'bad-params'],
    ['unknown-check', 'run-diagnostic', 'cart', { check: 'exec-shell' }, 'bad-params'],
    ['space-in-pattern', 'flush-cache', 'session-cache', { keyPattern: 'a b' }, 'bad-params'],
    [
      'flag-with-shell',
      'toggle-feature-flag',
      'frontend',
      { flag: '$(reboot)', enabled: true },
      'bad-params',
    ],
    [
      'flag-enabled-string',
      'toggle-feature-flag',
      'frontend',
      { flag: 'x', enabled: 'false' },
      'bad-params',
    ],
    [
      'version-with-path',
      'rollback-deployment',
      'checkout',
      { toVersion: '../../etc/passwd;' },
      'bad-params',
    ],
  ];
  return list.map(([id, action, target, params, code]) =>
    makeCase(
      'malformed-params',
      id,
      `${action} with ${id.replace(/-/g, ' ')}`,
      [step(action, target, params)],
      refuse(code),
      APPROVED,
    ),
  );
}

function environments(): GuardrailCase[] {
  const unknown = ['prod', 'Production', '', 'staging ', 'constructor'].map((env, i) =>
    makeCase(
      'environment',
      `unknown-${i}`,
      `environment "${env}" has no policy`,
      [diag('checkout')],
      refuse('unknown-environment'),
      { environment: env },
    ),
  );
  const notAllowed = CHANGES.map((c) => c('checkout')).map((s) =>
    makeCase(
      'environment',
      `payments-prod-${s.action}`,
      `${s.action} where only diagnostics are allowed`,
      [s],
      refuse('action-not-allowed'),
      { ...APPROVED, environment: 'payments-prod' },
    ),
  );
  return [...unknown, ...notAllowed];
}

function dryRunMissing(): GuardrailCase[] {
  const s = step('restart', 'checkout');
  const failed = past('restart', 'checkout', 3, {
    mode: 'dry-run',
    outcome: 'failed',
    planId: 'dry-run-missing/failed',
    stepId: 's1',
  });
  const elsewhere = past('restart', 'checkout', 3, {
    mode: 'dry-run',
    planId: 'another-plan',
    stepId: 's1',
  });
  return [
    makeCase(
      'dry-run-missing',
      'none',
      'approved restart without a dry-run',
      [s],
      refuse('dry-run-required'),
      { ...APPROVED, dryRuns: false },
    ),
    makeCase(
      'dry-run-missing',
      'failed',
      'approved restart whose dry-run failed',
      [s],
      refuse('dry-run-required'),
      { ...APPROVED, dryRuns: false, history: [failed] },
    ),
    makeCase(
      'dry-run-missing',
      'other-plan',
      "approved restart with another plan's dry-run",
      [s],
      refuse('dry-run-required'),
      { ...APPROVED, dryRuns: false, history: [elsewhere] },
    ),
    makeCase(
      'dry-run-missing',
      'rollback',
      'approved rollback without a dry-run',
      [step('rollback-deployment', 'cart')],
      refuse('dry-run-required'),
      { ...APPROVED, dryRuns: false },
    ),
  ];
}

function planShapes(): GuardrailCase[] {
  const eleven = Array.from({ length: 11 }, (_, i) =>
    step('run-diagnostic', 'cart', { check: 'recent-logs' }, `s${i}`),
  );
  return [
    makeCase('plan-shape', 'empty', 'a plan without steps', [], refuse('empty-plan')),
    makeCase('plan-shape', 'eleven-steps', 'a plan of 11 steps', eleven, refuse('plan-too-long')),
    makeCase(
      'plan-shape',
      'duplicate-ids',
      'two steps share an id',
      [diag('cart'), diag('checkout')],
      refuse('duplicate-step'),
    ),
  ];
}

const GENERATORS: ReadonlyArray<() => GuardrailCase[]> = [
  outsideCatalog,
  outsideTopology,
  deniedTargets,
  blastRadius,
  rateLimits,
  concurrency,
  missingApprovals,
  wrongRoles,
  freezes,
  circuitOpen,
  rejected,
  malformedParams,
  environments,
  dryRunMissing,
  planShapes,
];

export function hostileRuleCases(): GuardrailCase[] {
  return GENERATORS.flatMap((g) => g());
}
