import type { PlanStep, RemediationDecision } from '@vigil/contracts';
import type { AbortCommand, EngineCommand, Halt, NextInputs } from './commands';
import { idempotencyKey } from './event-ids';
import { type Failure, appliedLastFirst, factsOf, firstFailure, stepDone } from './plan-progress';
import type { PlanRun, RecordedVerdict, StepFacts } from './plan-run';

/**
 * The one thing the executor is to do next, derived from the facts alone: after a restart the
 * same facts give the same command. `undefined` once the plan has completed or aborted.
 */
export function next(run: PlanRun, inputs: NextInputs = {}): EngineCommand | undefined {
  if (run.ended) return undefined;
  if (run.anomalies.length > 0) {
    const reason = `the audit log of plan ${run.planId} cannot be followed: ${run.anomalies.join('; ')}`;
    return { kind: 'abort', cause: 'inconsistent', reason };
  }
  const failure = firstFailure(run);
  if (failure) return rollbackOrAbort(run, failure);
  const step = run.steps.find((s) => !stepDone(s, factsOf(run, s.stepId)));
  if (!step) return { kind: 'complete' };
  const decisions = (inputs.decisions ?? []).filter((d) => d.planId === run.planId);
  const command = stepCommand(run, step, decisions);
  return inputs.halt && startsSomething(command) ? halted(inputs.halt) : command;
}

/** A command that would take the plan a step further, rather than finish one under way. */
function startsSomething(command: EngineCommand): boolean {
  if (command.kind === 'dry-run' || command.kind === 'apply') return !command.resumed;
  return command.kind === 'evaluate' || command.kind === 'await-approval';
}

const halted = (halt: Halt): AbortCommand => ({
  kind: 'abort',
  cause: halt.cause,
  reason: halt.reason,
});

/** The inverses of the applied steps, last first, each until it has an outcome; then the abort. */
function rollbackOrAbort(run: PlanRun, failure: Failure): EngineCommand {
  for (const step of appliedLastFirst(run)) {
    const f = factsOf(run, step.stepId);
    if (!f.apply?.inverse || f.rollback?.outcome) continue;
    return {
      kind: 'rollback',
      stepId: step.stepId,
      target: step.target,
      inverse: f.apply.inverse,
      idempotencyKey: idempotencyKey(run.planId, step.stepId, 'rollback'),
      resumed: f.rollback !== undefined,
    };
  }
  const reason = `${failure.phase} of step ${failure.stepId} failed`;
  return { kind: 'abort', cause: 'failed', reason, stepId: failure.stepId };
}

function stepCommand(
  run: PlanRun,
  step: PlanStep,
  decisions: readonly RemediationDecision[],
): EngineCommand {
  const f = factsOf(run, step.stepId);
  if (f.apply) {
    // Started and not finished: again, with the same key. Finished (succeeded): verify.
    if (!f.apply.outcome) return stepRun(run, step, 'apply', true);
    return { kind: 'verify', stepId: step.stepId, step, checks: [...step.verification] };
  }
  if (f.dryRun && !f.dryRun.outcome) return stepRun(run, step, 'dry-run', true);
  const last = f.verdicts.at(-1);
  if (!last || unseenDecision(last, decisions)) return evaluate(step, f);
  return fromVerdict(run, step, f, last);
}

function fromVerdict(
  run: PlanRun,
  step: PlanStep,
  f: StepFacts,
  last: RecordedVerdict,
): EngineCommand {
  switch (last.verdict) {
    case 'deny':
      return denied(step, last);
    case 'needs-approval':
      return { kind: 'await-approval', stepId: step.stepId, reasons: blocking(last) };
    case 'needs-dry-run':
      if (!f.dryRun) return stepRun(run, step, 'dry-run', false);
      if (!last.afterDryRun) return evaluate(step, f);
      return stuck(step, last);
    case 'allow':
      return stepRun(run, step, 'apply', false);
  }
}

/**
 * A decision the last verdict did not see may change it. While waiting for an approval any
 * decision does; otherwise only a reject or cancel, which must stop the step before it starts.
 */
function unseenDecision(last: RecordedVerdict, decisions: readonly RemediationDecision[]): boolean {
  if (last.verdict === 'deny') return false;
  return decisions.some(
    (d) =>
      !last.decisionIds.includes(d.decisionId) &&
      (last.verdict === 'needs-approval' || d.decision !== 'approve'),
  );
}

function evaluate(step: PlanStep, f: StepFacts): EngineCommand {
  const input = {
    stepId: step.stepId,
    action: step.action,
    target: step.target,
    params: step.params,
    ...(step.rationale !== undefined ? { rationale: step.rationale } : {}),
  };
  return { kind: 'evaluate', stepId: step.stepId, input, attempt: f.verdicts.length + 1 };
}

function stepRun(
  run: PlanRun,
  step: PlanStep,
  kind: 'dry-run' | 'apply',
  resumed: boolean,
): EngineCommand {
  const key = idempotencyKey(run.planId, step.stepId, kind);
  return { kind, stepId: step.stepId, step, idempotencyKey: key, resumed };
}

const blocking = (v: RecordedVerdict) => v.reasons.filter((r) => r.effect !== 'note');

function denied(step: PlanStep, last: RecordedVerdict): AbortCommand {
  const why = blocking(last)
    .map((r) => r.message)
    .join('; ');
  return {
    kind: 'abort',
    cause: 'denied',
    reason: `step ${step.stepId} denied: ${why}`,
    stepId: step.stepId,
  };
}

/** A dry-run succeeded and the guardrails still want one: their history lacks it. Never loop. */
function stuck(step: PlanStep, last: RecordedVerdict): AbortCommand {
  const why = blocking(last)
    .map((r) => r.message)
    .join('; ');
  const reason = `step ${step.stepId} still needs a dry-run after a successful one (is the dry-run in the guardrails' history?): ${why}`;
  return { kind: 'abort', cause: 'stuck', reason, stepId: step.stepId };
}
