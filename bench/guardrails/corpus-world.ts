import type { RemediationDecision, VigilRole } from '@vigil/contracts';
import {
  CLOSED_CIRCUIT,
  CircuitBreaker,
  type CircuitSnapshot,
  type ExecutionRecord,
  type GuardrailPolicy,
  parsePolicy,
} from '@vigil/guardrails';
import { executed, MIN, NOW, step } from '@vigil/guardrails/testing';

/**
 * The world every corpus case runs in: a production policy as an operator would write it, the
 * online-shop targets, and a Wednesday noon that no freeze covers.
 */
export { MIN, NOW, step };

/** Times inside each freeze of the policy (UTC). */
export const FREEZE_TIMES = {
  'black-friday': Date.parse('2025-11-29T15:00:00Z'),
  'friday-night (past midnight)': Date.parse('2025-06-07T03:00:00Z'),
  'sunday (whole day)': Date.parse('2025-06-08T18:30:00Z'),
} as const;

export const POLICY: GuardrailPolicy = parsePolicy({
  environments: {
    production: {
      deniedTargets: ['auth*', 'vault*'],
      freezes: [
        {
          kind: 'absolute',
          name: 'black-friday',
          from: '2025-11-28T00:00:00Z',
          to: '2025-12-01T08:00:00Z',
        },
        { kind: 'weekly', name: 'friday-night', days: ['fri'], start: '20:00', end: '06:00' },
        { kind: 'weekly', name: 'sunday', days: ['sun'], start: '00:00', end: '00:00' },
      ],
    },
    staging: { approvals: { medium: 'none', high: 'responder' }, blastRadius: { max: 0.5 } },
    'payments-prod': { allowedActions: ['run-diagnostic'] },
  },
});

export const TOPOLOGY = {
  targets: {
    checkout: { replicas: 4, version: 'v7', previousVersion: 'v6' },
    cart: { replicas: 3, version: 'v3', previousVersion: 'v2' },
    frontend: { replicas: 6, flags: { 'new-search': true } },
    'catalog-db': { replicas: 2, primary: 'catalog-db-0' },
    'session-cache': { replicas: 3 },
    auth: { replicas: 3, flags: { 'auth-check': true } },
    vault: { replicas: 3 },
  },
};

export const SERVICES = ['checkout', 'cart', 'frontend'] as const;

export const OPEN_CIRCUIT: CircuitSnapshot = [30, 20, 10]
  .reduce(
    (b, ago) => b.record({ result: 'failed', humanApproved: false }, NOW - ago * MIN),
    CircuitBreaker.create(POLICY.circuitBreaker),
  )
  .toJSON();

export { CLOSED_CIRCUIT };

export interface DecisionSpec {
  decision?: RemediationDecision['decision'];
  role: VigilRole;
  planId?: string;
  minutesAgo?: number;
}

export function decision(planId: string, spec: DecisionSpec, index: number): RemediationDecision {
  const kind = spec.decision ?? 'approve';
  return {
    schemaVersion: 1,
    decisionId: `${planId}-d${index}`,
    planId: spec.planId ?? planId,
    decision: kind,
    by: { user: `${spec.role}-${index}`, role: spec.role },
    via: 'console',
    at: new Date(NOW - (spec.minutesAgo ?? 1) * MIN).toISOString(),
  };
}

/** A finished or running live step of an earlier plan, `minutesAgo` before now. */
export function past(
  action: string,
  target: string,
  minutesAgo: number,
  extra: Partial<ExecutionRecord> = {},
): ExecutionRecord {
  const stepId = `${action}-${target}-${minutesAgo}`;
  return executed(action, target, minutesAgo, { planId: 'earlier-plan', stepId, ...extra });
}

export function running(action: string, target: string, share = 0): ExecutionRecord {
  return past(action, target, 2, { outcome: 'running', finishedAt: undefined, blastRadius: share });
}
