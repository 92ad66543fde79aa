import type {
  AlertSeverity,
  AttachedAlert,
  AttachReason,
  PlanStep,
  RcaResult,
  RemediationDecision,
  RemediationExecution,
  RemediationPlan,
} from '@vigil/contracts';

/** The correlator's status, with what people said on top of it. */
export type HumanStatus = 'open' | 'acknowledged' | 'resolved';

export type PlanState =
  | 'drafted'
  | 'awaiting-approval'
  | 'running'
  | 'completed'
  | 'aborted'
  | 'rejected';

export interface IncidentListItem {
  incidentId: string;
  title: string;
  severity: AlertSeverity;
  status: HumanStatus;
  services: string[];
  alertCount: number;
  openedAt: string;
  updatedAt: string;
  rootCause?: { service: string; score: number };
  planState?: PlanState;
}

export interface StepView {
  step: PlanStep;
  verdict?: {
    verdict: 'allow' | 'needs-dry-run' | 'needs-approval' | 'deny';
    reasons: Array<{ code: string; effect: string; message: string }>;
  };
  outcome?: 'started' | 'succeeded' | 'failed' | 'rolled-back';
}

export interface PlanView {
  plan: RemediationPlan;
  state: PlanState;
  steps: StepView[];
  decisions: RemediationDecision[];
  audit: RemediationExecution[];
}

export type TimelineKind = 'incident' | 'rca' | 'plan' | 'decision' | 'execution' | 'action';

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  text: string;
}

export interface IncidentView extends IncidentListItem {
  acknowledgedBy?: { user: string; at: string };
  resolvedBy?: { user: string; at: string };
  mergedInto?: string;
  alerts: Array<{
    fingerprint: string;
    at: string;
    reason: AttachReason;
    alert?: AttachedAlert;
    /** The alert keeps firing and resolving (as its latest re-fire said). */
    flapping?: boolean;
  }>;
  timeline: TimelineEntry[];
  rca?: RcaResult;
  plans: PlanView[];
}

export interface IncidentFilter {
  status?: readonly HumanStatus[];
  severity?: readonly AlertSeverity[];
  /** An incident with this service (exact name). */
  service?: string;
  /** Updated at or after. */
  since?: number;
  /** Opened at or before. */
  until?: number;
  /** Words that must all appear in the title, services, alert names or root cause. */
  q?: string;
}
