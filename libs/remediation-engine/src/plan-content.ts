import { createHash } from 'node:crypto';
import type { RemediationPlan } from '@vigil/contracts';

/**
 * JSON with object keys sorted at every level and no spaces: the same value always gives the same
 * bytes, whatever order the fields were written or parsed in. `undefined` members are left out,
 * as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * What a plan does and when it was made: its id, incident, creation time and steps (action,
 * target, parameters, checks, rationale). The summary, headline and provenance are words about
 * the plan, not part of what it does, so they are left out.
 */
export function planContent(
  plan: Pick<RemediationPlan, 'planId' | 'incidentId' | 'createdAt' | 'steps'>,
): unknown {
  return {
    planId: plan.planId,
    incidentId: plan.incidentId,
    createdAt: plan.createdAt,
    steps: plan.steps.map((s) => ({
      stepId: s.stepId,
      action: s.action,
      target: s.target,
      params: s.params,
      verification: s.verification ?? [],
      rationale: s.rationale,
    })),
  };
}

/** SHA-256 (hex) of the plan's canonical content: what a decision is bound to. */
export function planContentHash(
  plan: Pick<RemediationPlan, 'planId' | 'incidentId' | 'createdAt' | 'steps'>,
): string {
  return createHash('sha256')
    .update(canonicalJson(planContent(plan)))
    .digest('hex');
}
