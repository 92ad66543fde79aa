// The console API's shapes, from the libraries that define them. Type-only: nothing of the server
// code reaches the UI bundle.
import type { AlertSeverity, VigilRole } from '@vigil/contracts';
import type { HumanStatus } from '@vigil/incident-view';

export type {
  AttachedAlert,
  AttachReason,
  IncidentAction,
  IncidentFeedback,
  PlanStep,
  RcaResult,
  RemediationDecision,
  RemediationExecution,
  RemediationPlan,
  RootCauseCandidate,
} from '@vigil/contracts';
export type {
  HumanStatus,
  IncidentListItem,
  IncidentReport,
  SimilarIncident,
  IncidentView,
  PlanState,
  PlanView,
  StepView,
  TimelineEntry,
  TimelineKind,
} from '@vigil/incident-view';

export type Severity = AlertSeverity;
export type Role = VigilRole;
export type IncidentAlert = import('@vigil/incident-view').IncidentView['alerts'][number];
export type AttributeMap = import('@vigil/contracts').PlanStep['params'];
export type AttributeValue = AttributeMap[string];
export type Verdict = NonNullable<import('@vigil/incident-view').StepView['verdict']>['verdict'];
export type RootCauseEvidence = import('@vigil/contracts').RootCauseCandidate['evidence'];

export const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];
export const STATUSES: readonly HumanStatus[] = ['open', 'acknowledged', 'resolved'];

export interface Me {
  user: { name: string; role: Role };
  csrfToken: string;
  expiresAt: string;
}

export interface AuthProviders {
  local: boolean;
  oidc: { name: string; loginUrl: string } | null;
}

/** GET /api/v1/incidents/:id/topology (apps/console/src/incidents.controller.ts). */
export interface IncidentTopology {
  nodes: Array<{ id: string; kind: string }>;
  edges: Array<{ from: string; to: string; type: string }>;
  services: string[];
  rootCause?: string;
  path: string[];
}
