import type { InverseStep, TargetState } from '@vigil/action-catalog';
import type { PlanStep, RemediationDecision } from '@vigil/contracts';
import type { StepInput, StepVerdict } from '@vigil/guardrails';
import type { RecordedReason } from './plan-run';

/**
 * Get a guardrail verdict: `evaluateStep(command.input, ctx)` with the plan's decisions and a
 * history that includes `executionRecords(run)`; pass no `earlier` steps, since the plan's earlier
 * steps really ran and are in that history.
 */
export interface EvaluateCommand {
  kind: 'evaluate';
  stepId: string;
  input: StepInput;
  attempt: number;
}

/** Nothing to do until a decision for the plan arrives on vigil.remediation.decisions.v1. */
export interface AwaitApprovalCommand {
  kind: 'await-approval';
  stepId: string;
  reasons: RecordedReason[];
}

/**
 * Run the step through the adapter (dry-run or live) with this key. `resumed` says a start is
 * already on record: the executor died after it, the adapter may have done it already and answers
 * so for the key; the target's state now is not the state before, so none is recorded again.
 */
export interface StepRunCommand {
  kind: 'dry-run' | 'apply';
  stepId: string;
  step: PlanStep;
  idempotencyKey: string;
  resumed: boolean;
}

/** Check the step's verifications against live signals. */
export interface VerifyCommand {
  kind: 'verify';
  stepId: string;
  step: PlanStep;
  checks: string[];
}

/** Apply the inverse of an applied step (`stepId` is the step being undone) on its target. */
export interface RollbackCommand {
  kind: 'rollback';
  stepId: string;
  target: string;
  inverse: InverseStep;
  idempotencyKey: string;
  resumed: boolean;
}

export interface CompleteCommand {
  kind: 'complete';
}

/**
 * Why a plan stops short: a guardrail denied a step (a reject or cancel is a deny), a step or its
 * verification failed (after the rollback), the guardrails still want a dry-run that succeeded
 * (their history lacks it), or the audit log contains events the engine cannot place.
 */
export type AbortCause = 'denied' | 'failed' | 'stuck' | 'inconsistent' | HaltCause;

/**
 * Why a plan may not go on, decided outside its trail: it expired (older than the policy's plan
 * TTL), its incident was resolved, or the plan as a whole was refused (plan-level guardrails).
 */
export type HaltCause = 'expired' | 'incident-closed' | 'plan-refused';

export interface Halt {
  cause: HaltCause;
  reason: string;
}

export interface AbortCommand {
  kind: 'abort';
  cause: AbortCause;
  reason: string;
  stepId?: string;
}

/** What the executor is to do next; `undefined` when the plan has ended. */
export type EngineCommand =
  | EvaluateCommand
  | AwaitApprovalCommand
  | StepRunCommand
  | VerifyCommand
  | RollbackCommand
  | CompleteCommand
  | AbortCommand;

export interface NextInputs {
  /** The decisions received for the plan (others are ignored), in any order. */
  decisions?: readonly RemediationDecision[];
  /**
   * Stops the plan before its next step is evaluated or started. A step already under way is
   * finished (and verified, or rolled back on failure) first: stopping half-way is worse.
   */
  halt?: Halt;
}

/** The verdict of an `evaluate`, with the ids of the decisions its context held. */
export interface VerdictResult {
  kind: 'verdict';
  verdict: StepVerdict;
  decisionIds: readonly string[];
}

/**
 * Recorded just before the adapter is called, so that a crash during the call leaves a start
 * without an end in the log. A live start carries the target's state, which fixes the inverse.
 */
export interface StartedResult {
  kind: 'started';
  stepId: string;
  mode: 'dry-run' | 'live';
  before?: TargetState;
}

export type AdapterOutcome = 'succeeded' | 'already-applied' | 'failed';

export interface FinishedResult {
  kind: 'finished';
  stepId: string;
  mode: 'dry-run' | 'live';
  outcome: AdapterOutcome;
  message?: string;
}

export interface VerifiedResult {
  kind: 'verified';
  stepId: string;
  passed: boolean;
  failedChecks?: readonly string[];
  message?: string;
}

export interface RollbackStartedResult {
  kind: 'rollback-started';
  stepId: string;
}

export interface RollbackFinishedResult {
  kind: 'rollback-finished';
  stepId: string;
  outcome: AdapterOutcome;
  message?: string;
}

/** What the executor reports back; `complete` and `abort` acknowledge those commands. */
export type EngineResult =
  | VerdictResult
  | StartedResult
  | FinishedResult
  | VerifiedResult
  | RollbackStartedResult
  | RollbackFinishedResult
  | { kind: 'complete' }
  | { kind: 'abort'; halt?: Halt };
