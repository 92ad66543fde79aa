import type { ActionName, PlanStep } from '@vigil/contracts';

/**
 * The kinds of fault a runbook is chosen by (libs/rca tells them from the evidence). `bad-config`
 * is a fault that began with a config change, `overload` more requests than the instances serve.
 */
export const faultClasses = [
  'crash',
  'bad-deploy',
  'bad-config',
  'overload',
  'memory-leak',
  'cpu-saturation',
  'errors',
  'latency',
  'unknown',
] as const;
export type FaultClass = (typeof faultClasses)[number];

interface StepTemplate {
  action: ActionName;
  params: PlanStep['params'];
  rationale: string;
  verification: string[];
}

/** One instance at a time, so the service keeps answering while it restarts. */
function rollingRestart(rationale: string, verification: string[]): StepTemplate {
  return { action: 'restart', params: { batchSize: 1 }, rationale, verification };
}

/**
 * What a careful on-call engineer does first for each kind of fault: the planner's fallback when
 * the model's draft is unusable, and the reference a draft is compared with. Conservative on
 * purpose: one rolling batch at a time, diagnostics before anything that cannot be undone.
 */
const runbooks: Record<FaultClass, StepTemplate[]> = {
  crash: [
    rollingRestart('the process is gone or crash-looping: start it again, one instance at a time', [
      'healthy-instances',
      'error-rate-below',
    ]),
  ],
  'bad-deploy': [
    {
      action: 'rollback-deployment',
      params: {},
      rationale: 'errors or slowness began with a new version: go back to the previous one',
      verification: ['error-rate-below', 'latency-below', 'alerts-resolved'],
    },
  ],
  'bad-config': [
    {
      action: 'rollback-config',
      params: {},
      rationale:
        'errors or slowness began with a config change: restore the previous config version',
      verification: ['error-rate-below', 'latency-below', 'alerts-resolved'],
    },
  ],
  overload: [
    {
      action: 'scale',
      params: { replicas: 0 }, // bound to the target: current replicas + 1 (see runbookFor)
      rationale:
        'more requests than the instances serve: add one (a restart would only drop capacity)',
      verification: ['latency-below', 'error-rate-below', 'healthy-instances'],
    },
  ],
  'memory-leak': [
    {
      action: 'run-diagnostic',
      params: { check: 'heap-summary' },
      rationale: 'keep evidence of what fills the heap before it is cleared',
      verification: [],
    },
    rollingRestart(
      'memory grows until the limit: a rolling restart frees it while the leak is fixed',
      ['healthy-instances', 'error-rate-below'],
    ),
  ],
  'cpu-saturation': [
    {
      action: 'scale',
      params: { replicas: 0 }, // bound to the target: current replicas + 1 (see runbookFor)
      rationale: 'CPU at its limit slows every request: add an instance to share the load',
      verification: ['healthy-instances'],
    },
    rollingRestart(
      'an instance spinning on its own (a hot loop, not load) is freed by a rolling restart',
      ['latency-below', 'healthy-instances'],
    ),
  ],
  errors: [
    {
      action: 'run-diagnostic',
      params: { check: 'recent-logs' },
      rationale: 'find what fails before changing anything',
      verification: [],
    },
    rollingRestart('a bad state in some instances clears on a rolling restart', [
      'error-rate-below',
      'healthy-instances',
    ]),
  ],
  latency: [
    {
      action: 'run-diagnostic',
      params: { check: 'dependency-probe' },
      rationale: 'find which call is slow before changing anything',
      verification: [],
    },
    rollingRestart(
      'the service itself is slow (the root cause is here, not below): a rolling restart',
      ['latency-below', 'healthy-instances'],
    ),
  ],
  unknown: [
    {
      action: 'run-diagnostic',
      params: { check: 'recent-logs' },
      rationale: 'the evidence does not name a fault: collect what a person needs to decide',
      verification: [],
    },
  ],
};

/** The known-good runbook of a fault class, bound to a target with its current replica count. */
export function runbookFor(
  faultClass: FaultClass,
  target: string,
  replicas: number,
): Array<Omit<PlanStep, 'stepId'>> {
  return runbooks[faultClass].map((step) => ({
    action: step.action,
    target,
    params: step.action === 'scale' ? { replicas: Math.max(1, replicas) + 1 } : { ...step.params },
    rationale: step.rationale,
    verification: [...step.verification],
  }));
}

/**
 * Actions that address each kind of fault on the diagnosed service: a draft with none of them
 * there (scaling a database for a bad release) does not treat the diagnosis, however valid. A
 * diagnostic informs and treats nothing; a new instance beside a crashed, leaking or slow one
 * leaves it crashed, leaking or slow.
 */
export const fittingActions: Record<FaultClass, readonly ActionName[]> = {
  crash: ['restart', 'rollback-deployment', 'failover'],
  'bad-deploy': ['rollback-deployment', 'toggle-feature-flag'],
  'bad-config': ['rollback-config'],
  // more instances, not new ones: a restart or a drain takes capacity away
  overload: ['scale'],
  'memory-leak': ['restart', 'rollback-deployment'],
  'cpu-saturation': ['scale', 'restart'],
  // errors and slowness held in state, a dependency or config: the treatments of what holds them
  errors: [
    'restart',
    'rollback-deployment',
    'toggle-feature-flag',
    'failover',
    'rollback-config',
    'clear-cache-key',
    'free-disk',
    'release-lock',
    'rotate-credentials',
  ],
  // slow without being busy (a busy one is cpu-saturation): more instances of it are as slow
  latency: [
    'restart',
    'flush-cache',
    'failover',
    'clear-cache-key',
    'release-lock',
    'rollback-config',
  ],
  unknown: [
    'run-diagnostic',
    'restart',
    'scale',
    'rollback-deployment',
    'toggle-feature-flag',
    'flush-cache',
    'drain-instance',
    'failover',
    'rollback-config',
    'clear-cache-key',
    'free-disk',
    'release-lock',
    'rotate-credentials',
  ],
};

/** The replica counts one scaling of a service running `replicas` may ask for. */
export function scaleRange(replicas: number): { from: number; to: number } {
  const now = Math.max(1, replicas);
  return { from: now + 1, to: Math.max(2 * now, now + 2) };
}

/**
 * Why a draft's scaling of the diagnosed service is no treatment (no more instances than now) or
 * out of proportion (more than doubling it, or more than two at once when it is small), or
 * undefined: a model that asks for 20 instances of a one-instance service is guessing.
 */
export function scaleMisfit(
  steps: ReadonlyArray<Pick<PlanStep, 'action' | 'target' | 'params'>>,
  target: string,
  replicas: number,
): string | undefined {
  const { to: most } = scaleRange(replicas);
  for (const step of steps) {
    if (step.action !== 'scale' || step.target !== target) continue;
    const wanted = Number(step.params['replicas']);
    if (wanted <= replicas)
      return `scale ${target} to ${wanted} adds nothing: it runs ${replicas} already`;
    if (wanted > most)
      return `scale ${target} to ${wanted} is out of proportion: it runs ${replicas}, at most ${most} in one step`;
  }
  return undefined;
}

/** Why a draft does not treat the diagnosis, or undefined when it does. */
export function diagnosisGap(
  steps: ReadonlyArray<Pick<PlanStep, 'action' | 'target'>>,
  faultClass: FaultClass,
  diagnosed: string,
): string | undefined {
  const fitting = fittingActions[faultClass];
  if (steps.some((s) => s.target === diagnosed && fitting.includes(s.action))) return undefined;
  return `no step treats the diagnosis (${faultClass} on ${diagnosed}): expected one of ${fitting.join(', ')} on ${diagnosed}`;
}
