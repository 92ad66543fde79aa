import { evaluateStep } from './evaluate-step';
import type { EarlierStep, StepContext, StepInput } from './step-context';
import {
  type Reason,
  type StepVerdict,
  type VerdictKind,
  blockingReasons,
  reason,
  verdictOf,
} from './verdict';

export interface PlanInput {
  planId: string;
  steps: readonly StepInput[];
}

export interface PlanVerdict {
  planId: string;
  /** The strongest verdict of the plan's own reasons and of its steps. */
  verdict: VerdictKind;
  /** Reasons about the plan as a whole (length, step ids); each step has its own. */
  reasons: Reason[];
  steps: StepVerdict[];
}

/**
 * Every step in order, each counting the plan's earlier steps toward its rate and blast limits
 * as if they had just run: a plan cannot get around a limit by splitting a change into steps.
 */
export function evaluatePlan(plan: PlanInput, ctx: Omit<StepContext, 'planId'>): PlanVerdict {
  const context: StepContext = { ...ctx, planId: plan.planId };
  const earlier: EarlierStep[] = [];
  const steps = plan.steps.map((step) => {
    const verdict = evaluateStep(step, context, [...earlier]);
    earlier.push({
      action: String(step.action),
      target: String(step.target),
      blastRadius: verdict.checked.blastRadius?.step ?? 0,
    });
    return verdict;
  });
  const reasons = planReasons(plan, ctx.policy.maxStepsPerPlan);
  const effects: Reason[] = [...reasons, ...steps.flatMap((s) => blockingReasons(s.reasons))];
  return { planId: plan.planId, verdict: verdictOf(effects), reasons, steps };
}

function planReasons(plan: PlanInput, maxSteps: number): Reason[] {
  const reasons: Reason[] = [];
  if (plan.steps.length === 0) reasons.push(reason('empty-plan', 'deny', 'the plan has no steps'));
  if (plan.steps.length > maxSteps) {
    const message = `the plan has ${plan.steps.length} steps; at most ${maxSteps} are allowed`;
    reasons.push(reason('plan-too-long', 'deny', message));
  }
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const s of plan.steps) (seen.has(s.stepId) ? duplicates : seen).add(s.stepId);
  if (duplicates.size > 0) {
    // A dry-run and an audit event are keyed by step id; two steps sharing one would share both.
    const message = `step ids used more than once: ${[...duplicates].join(', ')}`;
    reasons.push(reason('duplicate-step', 'deny', message));
  }
  return reasons;
}

/** Every reason that blocks the plan, the plan's own first: what a refusal is explained by. */
export function planRefusalReasons(verdict: PlanVerdict): Reason[] {
  return [
    ...blockingReasons(verdict.reasons),
    ...verdict.steps.flatMap((s) => blockingReasons(s.reasons)),
  ];
}
