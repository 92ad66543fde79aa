import { knownGoodRetry, type DraftedPlan, type PlanEnd } from '@vigil/action-catalog';
import { KNOWN_GOOD_PROMPT_HASH } from './known-good-first';
import type { PlanDraft } from './plan-draft';

/** A plan out on the plans topic, until the executor reports how it ended. */
export interface OutstandingPlan<M = unknown> extends DraftedPlan {
  incidentId: string;
  /** When it was published (ms). */
  publishedAt: number;
  /** What the caller keeps with the plan until its end (the planner: what to remember it by). */
  memo?: M;
}

/** What follows the end of a plan. */
export type AfterPlanEnd<M = unknown> =
  /** Not the end of a plan this planner drafted (or one it no longer remembers). */
  | { next: 'nothing' }
  /** The plan worked: an example for later drafts; `dropped`: why no follow-up went out. */
  | { next: 'remember'; plan: OutstandingPlan<M>; dropped?: string }
  /**
   * The plan failed: another plan goes out instead (the catalog's known-good runbook after a
   * model plan, or the model's follow-up after a known-good plan that went first).
   */
  | { next: 'retry'; plan: OutstandingPlan<M>; draft: PlanDraft; reason: string }
  /** A known-good plan that went first ended before the model's follow-up was written. */
  | { next: 'wait'; plan: OutstandingPlan<M>; reason: string }
  /** The plan ended without working and nothing follows: the incident is for a human. */
  | { next: 'stop'; plan: OutstandingPlan<M>; reason: string };

/**
 * What follows a plan that ended without working. The known-good runbook follows a model plan
 * that failed on its own, once (the runbook goes out marked as the fallback, and a fallback is
 * never retried), when it does something the plan did not, and only while the incident is open:
 * a retry for an incident that is over would treat what is already well. `knownGoodTried`: the
 * known-good runbook of this diagnosis went out in the incident's episode already (it went first,
 * and this plan was the model's follow-up): sending it again would repeat what failed.
 */
export function nextAfterFailure<M>(
  plan: OutstandingPlan<M>,
  end: Extract<PlanEnd, { type: 'plan-aborted' }>,
  incidentOpen: boolean,
  knownGoodTried = false,
): AfterPlanEnd<M> {
  const decision = knownGoodRetry(plan, end);
  if (!decision.retry) return { next: 'stop', plan, reason: decision.reason };
  if (knownGoodTried)
    return {
      next: 'stop',
      plan,
      reason: `the known-good runbook for ${plan.faultClass} on ${plan.target} went out already`,
    };
  if (!incidentOpen)
    return { next: 'stop', plan, reason: `${plan.incidentId} is not open here: no retry for it` };
  return {
    next: 'retry',
    plan,
    reason: decision.reason,
    draft: {
      incidentId: plan.incidentId,
      target: plan.target,
      faultClass: plan.faultClass,
      replicas: plan.replicas,
      summary: `Known-good runbook for ${plan.faultClass} on ${plan.target}, after ${plan.planId} failed`,
      steps: decision.steps,
      fallbackUsed: true,
      promptHash: KNOWN_GOOD_PROMPT_HASH,
      similarPlans: [],
    },
  };
}
