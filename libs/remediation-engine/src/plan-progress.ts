import type { PlanStep } from '@vigil/contracts';
import type { PlanRun, StepFacts } from './plan-run';

/** The facts of a step of the run (every step of the plan has some, possibly empty). */
export const factsOf = (run: PlanRun, stepId: string): StepFacts =>
  run.facts[stepId] ?? { verdicts: [] };

/** Applied and, when the plan names checks, verified: never to be touched again. */
export function stepDone(step: PlanStep, f: StepFacts): boolean {
  if (f.apply?.outcome !== 'succeeded') return false;
  return step.verification.length === 0 || f.verification?.passed === true;
}

export interface Failure {
  stepId: string;
  phase: 'dry-run' | 'apply' | 'verification';
}

/** The first failed dry-run, application or verification: from then on the plan only rolls back. */
export function firstFailure(run: PlanRun): Failure | undefined {
  for (const step of run.steps) {
    const f = factsOf(run, step.stepId);
    if (f.dryRun?.outcome === 'failed') return { stepId: step.stepId, phase: 'dry-run' };
    if (f.apply?.outcome === 'failed') return { stepId: step.stepId, phase: 'apply' };
    if (f.verification?.passed === false) return { stepId: step.stepId, phase: 'verification' };
  }
  return undefined;
}

/**
 * Steps that went live, last first: the order their inverses run in. A failed application counts,
 * since it may have changed part of the target; the catalog's inverses set the state from before
 * (replicas, version, flag, primary), so undoing an unchanged target changes nothing.
 */
export function appliedLastFirst(run: PlanRun): PlanStep[] {
  return run.steps.filter((s) => factsOf(run, s.stepId).apply).reverse();
}

/** Whether any step went live: only then is the plan a remediation for the circuit breaker. */
export const wentLive = (run: PlanRun): boolean => appliedLastFirst(run).length > 0;

/** Whether a person's approval was counted for any step of the plan. */
export const humanApproved = (run: PlanRun): boolean =>
  run.steps.some((s) => factsOf(run, s.stepId).verdicts.some((v) => v.approvedBy.length > 0));
