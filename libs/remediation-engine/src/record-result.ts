import { type InverseStep, type TargetState, checkStep } from '@vigil/action-catalog';
import type { PlanStep, RemediationExecution } from '@vigil/contracts';
import type {
  EngineResult,
  FinishedResult,
  Halt,
  RollbackFinishedResult,
  StartedResult,
  VerdictResult,
  VerifiedResult,
} from './commands';
import { type Detail, beforeDetail, inverseDetail, joined, verdictDetail } from './event-detail';
import { eventIds, idempotencyKey } from './event-ids';
import { next } from './next-command';
import {
  appliedLastFirst,
  factsOf,
  firstFailure,
  humanApproved,
  stepDone,
  wentLive,
} from './plan-progress';
import type { PlanRun } from './plan-run';
import { foldEvent } from './rebuild';

/** A result that does not fit the plan's state: a bug in the executor, not a fact to record. */
export class EngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface Recorded {
  state: PlanRun;
  /** To publish on vigil.remediation.executions.v1, in order, before acting on `state`. */
  events: RemediationExecution[];
}

/**
 * The audit events for a result the executor reports, and the state with them folded in (the
 * same fold as `rebuild`). A result already on record gives no event: a replay is not a new fact.
 * `at` is the time of the result in epoch ms. After the plan's end nothing is recorded.
 */
export function record(run: PlanRun, result: EngineResult, at: number): Recorded {
  const events = run.ended ? [] : eventsFor(run, result, at);
  return { state: events.reduce(foldEvent, run), events };
}

function eventsFor(run: PlanRun, result: EngineResult, at: number): RemediationExecution[] {
  switch (result.kind) {
    case 'verdict':
      return verdictEvent(run, result, at);
    case 'started':
      return startedEvent(run, result, at);
    case 'finished':
      return finishedEvent(run, result, at);
    case 'verified':
      return verifiedEvent(run, result, at);
    case 'rollback-started':
      return rollbackStartedEvent(run, result.stepId, at);
    case 'rollback-finished':
      return rollbackFinishedEvent(run, result, at);
    case 'complete':
      return completedEvent(run, at);
    case 'abort':
      return abortedEvent(run, at, result.halt);
  }
}

function emit(
  run: PlanRun,
  type: RemediationExecution['type'],
  eventId: string,
  at: number,
  detail: Detail,
  stepId?: string,
): RemediationExecution[] {
  return [
    {
      schemaVersion: 1,
      eventId,
      planId: run.planId,
      incidentId: run.incidentId,
      type,
      ...(stepId !== undefined ? { stepId } : {}),
      at: new Date(at).toISOString(),
      detail,
    },
  ];
}

/** The step the plan is at, when it is going forward (no failure, no anomaly). */
function currentStep(run: PlanRun): PlanStep | undefined {
  if (run.anomalies.length > 0 || firstFailure(run)) return undefined;
  return run.steps.find((s) => !stepDone(s, factsOf(run, s.stepId)));
}

function requireCurrent(run: PlanRun, stepId: string, what: string): PlanStep {
  const step = currentStep(run);
  if (step?.stepId !== stepId)
    throw new EngineError(
      `${what} for step ${stepId} of plan ${run.planId}, which is at ${step?.stepId ?? 'no step'}`,
    );
  return step;
}

function verdictEvent(run: PlanRun, result: VerdictResult, at: number): RemediationExecution[] {
  const stepId = result.verdict.stepId;
  const step = requireCurrent(run, stepId, 'a verdict');
  const f = factsOf(run, stepId);
  if (f.apply || (f.dryRun && !f.dryRun.outcome) || f.verdicts.at(-1)?.verdict === 'deny')
    throw new EngineError(`a verdict for step ${stepId} of plan ${run.planId} after it started`);
  const attempt = f.verdicts.length + 1;
  const afterDryRun = f.dryRun?.outcome === 'succeeded';
  const detail = {
    action: step.action,
    target: step.target,
    ...verdictDetail(result.verdict, attempt, result.decisionIds, afterDryRun),
  };
  return emit(run, 'verdict', eventIds.verdict(run.planId, stepId, attempt), at, detail, stepId);
}

function startedEvent(run: PlanRun, result: StartedResult, at: number): RemediationExecution[] {
  const f = factsOf(run, result.stepId);
  if (result.mode === 'dry-run' ? f.dryRun : f.apply) return [];
  const step = requireCurrent(run, result.stepId, `a ${result.mode} start`);
  const wanted = result.mode === 'dry-run' ? 'needs-dry-run' : 'allow';
  if (f.verdicts.at(-1)?.verdict !== wanted)
    throw new EngineError(
      `a ${result.mode} start of step ${step.stepId} without a ${wanted} verdict`,
    );
  const phase = result.mode === 'dry-run' ? 'dry-run' : 'apply';
  const detail: Detail = {
    mode: result.mode,
    idempotencyKey: idempotencyKey(run.planId, step.stepId, phase),
    action: step.action,
    target: step.target,
    ...(result.mode === 'live'
      ? { ...inverseDetail(inverseOf(step, result.before)), ...beforeDetail(result.before) }
      : {}),
  };
  const id = eventIds.started(run.planId, step.stepId, phase);
  return emit(run, 'step-started', id, at, detail, step.stepId);
}

/** The catalog's inverse from the validated parameters and the state before the first start. */
function inverseOf(step: PlanStep, before: TargetState | undefined): InverseStep | undefined {
  if (!before) return undefined;
  const check = checkStep(step);
  return check.ok ? check.definition.inverse(check.params, before) : undefined;
}

function finishedEvent(run: PlanRun, result: FinishedResult, at: number): RemediationExecution[] {
  const f = factsOf(run, result.stepId);
  const phase = result.mode === 'dry-run' ? f.dryRun : f.apply;
  if (!phase)
    throw new EngineError(`a ${result.mode} of step ${result.stepId} finished that never started`);
  if (phase.outcome) return [];
  const type = result.outcome === 'failed' ? 'step-failed' : 'step-succeeded';
  const id = eventIds.finished(
    run.planId,
    result.stepId,
    result.mode === 'dry-run' ? 'dry-run' : 'apply',
  );
  return emit(run, type, id, at, outcomeDetail(result, { mode: result.mode }), result.stepId);
}

function outcomeDetail(result: FinishedResult | RollbackFinishedResult, base: Detail): Detail {
  return {
    ...base,
    outcome: result.outcome === 'failed' ? 'failed' : 'succeeded',
    alreadyApplied: result.outcome === 'already-applied',
    ...(result.message !== undefined ? { message: result.message } : {}),
  };
}

function verifiedEvent(run: PlanRun, result: VerifiedResult, at: number): RemediationExecution[] {
  const f = factsOf(run, result.stepId);
  if (f.verification) return [];
  if (f.apply?.outcome !== 'succeeded')
    throw new EngineError(`a verification of step ${result.stepId}, which has not succeeded`);
  const step = run.steps.find((s) => s.stepId === result.stepId);
  const detail: Detail = {
    checks: joined(step?.verification ?? []),
    failedChecks: joined(result.failedChecks ?? []),
    ...(result.message !== undefined ? { message: result.message } : {}),
  };
  const type = result.passed ? 'verification-passed' : 'verification-failed';
  return emit(
    run,
    type,
    eventIds.verification(run.planId, result.stepId),
    at,
    detail,
    result.stepId,
  );
}

function rollbackStartedEvent(run: PlanRun, stepId: string, at: number): RemediationExecution[] {
  if (factsOf(run, stepId).rollback) return [];
  const command = next(run);
  if (command?.kind !== 'rollback' || command.stepId !== stepId)
    throw new EngineError(`a rollback of step ${stepId} of plan ${run.planId} that is not due`);
  const detail: Detail = {
    idempotencyKey: command.idempotencyKey,
    target: command.target,
    ...inverseDetail(command.inverse),
  };
  const id = eventIds.started(run.planId, stepId, 'rollback');
  return emit(run, 'rollback-started', id, at, detail, stepId);
}

function rollbackFinishedEvent(
  run: PlanRun,
  result: RollbackFinishedResult,
  at: number,
): RemediationExecution[] {
  const rollback = factsOf(run, result.stepId).rollback;
  if (!rollback)
    throw new EngineError(`a rollback of step ${result.stepId} finished that never started`);
  if (rollback.outcome) return [];
  const id = eventIds.finished(run.planId, result.stepId, 'rollback');
  return emit(run, 'rollback-finished', id, at, outcomeDetail(result, {}), result.stepId);
}

function completedEvent(run: PlanRun, at: number): RemediationExecution[] {
  if (next(run)?.kind !== 'complete')
    throw new EngineError(`plan ${run.planId} is not complete: ${next(run)?.kind} is due`);
  const detail: Detail = {
    outcome: 'succeeded',
    humanApproved: humanApproved(run),
    steps: run.steps.length,
  };
  return emit(run, 'plan-completed', eventIds.planEnded(run.planId), at, detail);
}

/**
 * The outcome is what the circuit breaker counts: `failed` only if a step went live and the plan
 * failed. A deny, reject or cancel is the guardrails working, not a failed remediation.
 */
function abortedEvent(run: PlanRun, at: number, halt?: Halt): RemediationExecution[] {
  const command = next(run, halt ? { halt } : {});
  if (command?.kind !== 'abort')
    throw new EngineError(`plan ${run.planId} is not to be aborted: ${command?.kind} is due`);
  const failed = command.cause === 'failed' && wentLive(run);
  const detail: Detail = {
    cause: command.cause,
    reason: command.reason,
    ...(command.stepId !== undefined ? { failedStep: command.stepId } : {}),
    outcome: failed ? 'failed' : 'none',
    humanApproved: humanApproved(run),
    ...rollbackSummary(run),
  };
  return emit(run, 'plan-aborted', eventIds.planEnded(run.planId), at, detail);
}

/** Which applied steps were undone, which could not be, and what is left changed. */
function rollbackSummary(run: PlanRun): Detail {
  const applied = appliedLastFirst(run).map((s) => ({ id: s.stepId, f: factsOf(run, s.stepId) }));
  const ids = (keep: (f: (typeof applied)[number]['f']) => boolean) =>
    joined(applied.filter((a) => keep(a.f)).map((a) => a.id));
  return {
    rolledBack: ids((f) => f.rollback?.outcome === 'succeeded'),
    rollbackFailed: ids((f) => f.rollback?.outcome === 'failed'),
    notUndoable: ids((f) => !f.apply?.inverse),
    leftInPlace: ids((f) => f.rollback?.outcome !== 'succeeded'),
  };
}
