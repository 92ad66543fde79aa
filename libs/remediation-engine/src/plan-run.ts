import type { InverseStep } from '@vigil/action-catalog';
import type { PlanStep } from '@vigil/contracts';
import type { VerdictKind } from '@vigil/guardrails';

/** A guardrail reason as the audit log keeps it (codes are strings once they are on the wire). */
export interface RecordedReason {
  code: string;
  effect: string;
  message: string;
}

/** One recorded guardrail verdict of a step; a step may be evaluated several times. */
export interface RecordedVerdict {
  verdict: VerdictKind;
  reasons: RecordedReason[];
  /** The decisions the evaluation saw: a decision not among them may change the verdict. */
  decisionIds: string[];
  /** Approvals the guardrails counted (`user (role)`): a human-approved remediation. */
  approvedBy: string[];
  /** Whether the step's dry-run had already succeeded when it was evaluated. */
  afterDryRun: boolean;
  at: number;
}

/** A dry-run, an application or a rollback: started, and maybe finished. Times in epoch ms. */
export interface PhaseFacts {
  startedAt: number;
  finishedAt?: number;
  outcome?: 'succeeded' | 'failed';
}

export interface ApplyFacts extends PhaseFacts {
  /** What undoes the step, fixed from the target's state before it was first started. */
  inverse?: InverseStep;
}

/** Everything the audit log says about one step of the plan. */
export interface StepFacts {
  verdicts: RecordedVerdict[];
  dryRun?: PhaseFacts;
  apply?: ApplyFacts;
  verification?: { passed: boolean; at: number };
  rollback?: PhaseFacts;
}

/**
 * The state of one plan's execution: nothing but the facts of its audit events, so that the
 * state after a restart (rebuilt from vigil.remediation.executions.v1) is the state before it.
 * Plain JSON, immutable by convention: every function returns a new one.
 */
export interface PlanRun {
  planId: string;
  incidentId: string;
  steps: readonly PlanStep[];
  facts: Readonly<Record<string, StepFacts>>;
  ended?: { type: 'plan-completed' | 'plan-aborted'; at: number };
  /** Ids of the events folded in: a replayed event is a duplicate, not a new fact. */
  eventIds: readonly string[];
  /** Events the engine cannot make sense of; an automaton must not guess past them. */
  anomalies: readonly string[];
}

/** Which part of a step an idempotency key or event belongs to. */
export type StepPhase = 'dry-run' | 'apply' | 'rollback';

export type StartMode = 'dry-run' | 'live';
