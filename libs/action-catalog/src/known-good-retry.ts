import type { PlanStep } from '@vigil/contracts';
import { changesTarget } from './action-catalog';
import { runbookFor, type FaultClass } from './known-good-runbooks';

/** A drafted plan as the planner remembers it until the executor reports its end. */
export interface DraftedPlan {
  planId: string;
  target: string;
  faultClass: FaultClass;
  /** The plan already was the catalog's runbook: there is nothing better to retry with. */
  fallbackUsed: boolean;
  steps: ReadonlyArray<Pick<PlanStep, 'action' | 'target'>>;
  replicas: number;
}

/** How the executor ended the plan (`cause` of a plan-aborted event). */
export type PlanEnd = { type: 'plan-completed' } | { type: 'plan-aborted'; cause: string };

export type RetryDecision =
  | { retry: true; steps: Array<Omit<PlanStep, 'stepId'>>; reason: string }
  | { retry: false; reason: string };

/**
 * Whether a drafted plan that failed is followed by the catalog's known-good runbook for the same
 * diagnosis. Only a plan that failed on its own (a step or its verification failed, or it got
 * stuck) is retried, once: a denial, a rejection or a cancellation is the guardrails or a person
 * deciding, and must stand. A known-good runbook that does what the failed plan did would fail
 * the same way.
 */
export function knownGoodRetry(plan: DraftedPlan, end: PlanEnd): RetryDecision {
  if (end.type === 'plan-completed') return { retry: false, reason: 'the plan completed' };
  if (end.cause !== 'failed' && end.cause !== 'stuck')
    return { retry: false, reason: `the plan was ${end.cause}: that decision stands` };
  if (plan.fallbackUsed)
    return { retry: false, reason: 'the failed plan was the known-good runbook already' };
  if (plan.faultClass === 'unknown')
    return { retry: false, reason: 'no known-good runbook treats an unknown fault' };
  const steps = runbookFor(plan.faultClass, plan.target, plan.replicas);
  const treats = (s: Pick<PlanStep, 'action' | 'target'>) =>
    s.target === plan.target && changesTarget(s.action);
  const tried = new Set(plan.steps.filter(treats).map((s) => s.action));
  const fresh = steps.filter(treats).filter((s) => !tried.has(s.action));
  if (fresh.length === 0)
    return {
      retry: false,
      reason: `the known-good runbook for ${plan.faultClass} does what ${plan.planId} did`,
    };
  return {
    retry: true,
    steps,
    reason: `${plan.planId} failed; the known-good runbook for ${plan.faultClass} tries ${fresh.map((s) => s.action).join(', ')}`,
  };
}
