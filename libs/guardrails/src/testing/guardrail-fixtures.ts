import type { RemediationDecision, VigilRole } from '@vigil/contracts';
import { CLOSED_CIRCUIT } from '../circuit-breaker';
import { type GuardrailPolicy, parsePolicy } from '../policy';
import type { ExecutionRecord, StepContext, StepInput } from '../step-context';

/**
 * Shared by the specs and the guardrail corpus (`@vigil/guardrails/testing`): a Wednesday noon, a
 * small shop topology and a production policy.
 */
export const NOW = Date.parse('2025-06-04T12:00:00Z');
export const MIN = 60_000;

export const TOPOLOGY = {
  targets: {
    checkout: { replicas: 4, version: 'v7', previousVersion: 'v6' },
    cart: { replicas: 3 },
    frontend: { replicas: 6, flags: { 'new-search': true } },
    'catalog-db': { replicas: 2, primary: 'catalog-db-0' },
  },
};

export function testPolicy(production: Record<string, unknown> = {}): GuardrailPolicy {
  return parsePolicy({ environments: { production } });
}

export function context(overrides: Partial<StepContext> = {}): StepContext {
  return {
    policy: testPolicy({ dryRunFirst: false }),
    environment: 'production',
    topology: TOPOLOGY,
    history: [],
    planId: 'plan-1',
    decisions: [],
    circuit: CLOSED_CIRCUIT,
    now: NOW,
    ...overrides,
  };
}

export function step(
  action: string,
  target: string,
  params: unknown = {},
  stepId = 's1',
): StepInput {
  return { stepId, action, target, params };
}

export function decision(
  kind: RemediationDecision['decision'],
  role: VigilRole,
  overrides: Partial<RemediationDecision> = {},
): RemediationDecision {
  return {
    schemaVersion: 1,
    decisionId: `d-${kind}-${role}`,
    planId: 'plan-1',
    decision: kind,
    by: { user: `${role}-user`, role },
    via: 'console',
    at: new Date(NOW - MIN).toISOString(),
    ...overrides,
  };
}

/** A live step of an earlier plan that started `startedMinutesAgo` before NOW and took a minute. */
export function executed(
  action: string,
  target: string,
  startedMinutesAgo: number,
  overrides: Partial<ExecutionRecord> = {},
): ExecutionRecord {
  const startedAt = NOW - startedMinutesAgo * MIN;
  return {
    planId: 'plan-0',
    stepId: `old-${action}-${startedMinutesAgo}`,
    action,
    target,
    mode: 'live',
    startedAt,
    finishedAt: startedAt + MIN,
    outcome: 'succeeded',
    blastRadius: 0,
    ...overrides,
  };
}
