import type { PlanStep } from '@vigil/contracts';

/** Longer headlines are cut: a console row and a Slack line have room for about this much. */
const headlineLimit = 200;

/**
 * What a plan does, in one line people read first: the diagnosis and the steps in order. Written
 * from the plan itself, never by the model, so it stays true however poor the model's prose is.
 */
export function planHeadline(
  faultClass: string,
  target: string,
  steps: ReadonlyArray<Pick<PlanStep, 'action' | 'target'>>,
): string {
  const doing = steps.map((s) => `${s.action} ${s.target}`).join(', then ');
  const line = `${faultClass} on ${target}: ${doing}`;
  return line.length > headlineLimit ? `${line.slice(0, headlineLimit - 1)}…` : line;
}
