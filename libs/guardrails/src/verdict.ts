import type { RiskLevel } from '@vigil/action-catalog';
import type { ApprovalRequirement } from './policy';
import type { CircuitState } from './circuit-breaker';

export type VerdictKind = 'allow' | 'needs-approval' | 'needs-dry-run' | 'deny';

/** What a reason does to the verdict; a note explains without blocking. */
export type ReasonEffect = 'deny' | 'needs-dry-run' | 'needs-approval' | 'note';

export type ReasonCode =
  | 'unknown-environment'
  | 'unknown-action'
  | 'action-not-allowed'
  | 'bad-params'
  | 'params-too-large'
  | 'unknown-target'
  | 'target-not-allowed'
  | 'target-denied'
  | 'blast-radius'
  | 'rate-limit-target'
  | 'rate-limit-action'
  | 'concurrency'
  | 'freeze'
  | 'maintenance'
  | 'undeclared-flag'
  | 'rejected'
  | 'cancelled'
  | 'approval-required'
  | 'approval-not-counted'
  | 'decision-ignored'
  | 'circuit-open'
  | 'dry-run-required'
  | 'plan-too-long'
  | 'duplicate-step'
  | 'empty-plan'
  | 'approved';

export interface Reason {
  code: ReasonCode;
  effect: ReasonEffect;
  message: string;
}

export interface RateCount {
  count: number;
  max: number;
  windowSeconds: number;
}

/** The values the rules looked at, for the audit event and for people reading it. */
export interface CheckedValues {
  environment: string;
  action: string;
  target: string;
  risk?: RiskLevel;
  /** The parameters after validation, with the catalog's defaults filled in. */
  params?: Record<string, unknown>;
  paramsBytes?: number;
  blastRadius?: {
    step: number;
    others: number;
    total: number;
    limit: number;
    instances: number;
    /** Over the limit only because the service is too small for it: who must approve instead. */
    approval?: ApprovalRequirement;
  };
  rate?: { target: RateCount; action?: RateCount };
  concurrency?: { running: number; max: number };
  activeFreezes: string[];
  approval: { required: ApprovalRequirement; approvedBy: string[] };
  circuit: CircuitState;
  dryRun: { required: boolean; done: boolean };
}

export interface StepVerdict {
  stepId: string;
  verdict: VerdictKind;
  /** Every blocking reason (and notes), in rule order; never empty unless the step is allowed. */
  reasons: Reason[];
  checked: CheckedValues;
}

/**
 * The strongest effect wins. A dry-run comes before an approval so that the approver sees what
 * the step would do; a deny outranks everything.
 */
const ORDER: ReadonlyArray<Exclude<ReasonEffect, 'note'>> = [
  'deny',
  'needs-dry-run',
  'needs-approval',
];

export function verdictOf(reasons: readonly Reason[]): VerdictKind {
  return ORDER.find((effect) => reasons.some((r) => r.effect === effect)) ?? 'allow';
}

/** Whether the verdict is a refusal that a reason explains (notes do not explain refusals). */
export function blockingReasons(reasons: readonly Reason[]): Reason[] {
  return reasons.filter((r) => r.effect !== 'note');
}

export const reason = (code: ReasonCode, effect: ReasonEffect, message: string): Reason => ({
  code,
  effect,
  message,
});

export const percent = (share: number): string => `${Math.round(share * 100)}%`;
