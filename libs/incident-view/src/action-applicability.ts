import type { IncidentView, PlanView } from './incident-view.types';

/**
 * Why a decision cannot apply to a plan any more, or undefined when it can. The console, Slack
 * buttons and /vigil all ask this, so an old card or a stale page cannot approve a finished plan.
 */
export function decisionRefusal(
  plan: PlanView | undefined,
  planId: string,
  decision: 'approve' | 'reject',
): string | undefined {
  if (!plan) return `no plan ${planId}`;
  if (plan.state === 'drafted' || plan.state === 'awaiting-approval') return undefined;
  if (plan.state === 'running' && decision === 'reject') return undefined;
  return `plan ${planId} is ${plan.state}: there is nothing to ${decision}`;
}

/** Why acknowledging or resolving cannot apply to the incident now, or undefined. */
export function incidentActionRefusal(
  view: IncidentView | undefined,
  incidentId: string,
  action: 'acknowledge' | 'resolve',
): string | undefined {
  if (!view) return `no incident ${incidentId}`;
  if (view.status === 'resolved') return `incident ${incidentId} is already resolved`;
  if (action === 'acknowledge' && view.status === 'acknowledged')
    return `incident ${incidentId} is already acknowledged by ${view.acknowledgedBy?.user ?? 'someone'}`;
  return undefined;
}
