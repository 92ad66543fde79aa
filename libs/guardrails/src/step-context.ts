import type { PlanStep, RemediationDecision } from '@vigil/contracts';
import type { TargetState } from '@vigil/action-catalog';
import type { CircuitSnapshot } from './circuit-breaker';
import type { GuardrailPolicy } from './policy';

/**
 * A step as it arrives from a drafted plan. The fields are loosely typed on purpose: plans come
 * from an LLM that read untrusted text, so the rules, not the type system, decide what is valid.
 */
export interface StepInput {
  stepId: string;
  action: string;
  target: string;
  params: unknown;
  /** The model's free text, which may quote alerts and logs: carried along, never read by a rule. */
  rationale?: string;
}

/** One execution the executor started (live or dry-run) in this environment. */
export interface ExecutionRecord {
  planId: string;
  stepId: string;
  action: string;
  target: string;
  mode: 'live' | 'dry-run';
  startedAt: number;
  finishedAt?: number;
  outcome: 'running' | 'succeeded' | 'failed' | 'rolled-back';
  /** The share of the target's instances it touched; without it, it is sized from `params`. */
  blastRadius?: number;
  params?: PlanStep['params'];
}

/** The targets the topology knows in this environment, with what each looks like now. */
export interface TopologyFacts {
  targets: Readonly<Record<string, TargetState>>;
}

/** Everything a verdict depends on. Time is an input (epoch ms): the rules never read a clock. */
export interface StepContext {
  policy: GuardrailPolicy;
  environment: string;
  topology: TopologyFacts;
  /** Recent executions in this environment, running ones included (outcome `running`). */
  history: readonly ExecutionRecord[];
  planId: string;
  /** Decisions as received on vigil.remediation.decisions.v1; other plans' are ignored. */
  decisions: readonly RemediationDecision[];
  circuit: CircuitSnapshot;
  now: number;
  /**
   * Targets under an active maintenance window (target -> window id), from
   * vigil.alert-policy.v1: planned work is going on there, so only diagnostics may run.
   */
  underMaintenance?: Readonly<Record<string, string>>;
}

/** A step of the same plan evaluated before this one, counted toward rate and blast limits. */
export interface EarlierStep {
  action: string;
  target: string;
  blastRadius: number;
}

/** Own-property lookup: a target named `constructor` must not find Object.prototype's. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
