import type { StepPhase } from './plan-run';

/**
 * Event ids name the fact, not the emission: the same fact emitted again after a restart gets the
 * same id, and a consumer keeps the first. A phase has one `finished` id whatever its outcome, so
 * a step can never be both succeeded and failed in the log.
 */
export const eventIds = {
  verdict: (planId: string, stepId: string, attempt: number) =>
    `${planId}:${stepId}:verdict:${attempt}`,
  started: (planId: string, stepId: string, phase: StepPhase) =>
    `${planId}:${stepId}:${phase}:started`,
  finished: (planId: string, stepId: string, phase: StepPhase) =>
    `${planId}:${stepId}:${phase}:finished`,
  verification: (planId: string, stepId: string) => `${planId}:${stepId}:verification:finished`,
  planEnded: (planId: string) => `${planId}:plan:ended`,
  circuit: (planId: string, change: 'opened' | 'closed') => `${planId}:circuit:${change}`,
  planRefused: (planId: string, contentHash: string) => `${planId}:plan-refused:${contentHash}`,
  decisionRefused: (planId: string, decisionId: string) =>
    `${planId}:decision-refused:${decisionId}`,
};

/**
 * The key an adapter uses to refuse a second application of the same step phase. Derived from
 * ids only, so it is the same before and after any number of restarts.
 */
export function idempotencyKey(planId: string, stepId: string, phase: StepPhase): string {
  return `vigil:${planId}:${stepId}:${phase}`;
}
