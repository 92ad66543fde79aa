import { planExpired } from '@vigil/remediation-engine';
import type { IncidentView, PlanView } from './incident-view.types';

/** What else an approval depends on: the plan's incident, and the time against the plans' TTL. */
export interface DecisionStanding {
  incident?: IncidentView;
  now?: number;
  planTtlMs?: number;
}

/**
 * Why a decision cannot apply to a plan any more, or undefined when it can. The console, Slack
 * buttons and /vigil all ask this, so an old card or a stale page cannot approve a finished plan,
 * a plan of a resolved incident, or an expired plan (the executor refuses those too).
 */
export function decisionRefusal(
  plan: PlanView | undefined,
  planId: string,
  decision: 'approve' | 'reject',
  standing: DecisionStanding = {},
): string | undefined {
  if (!plan) return `no plan ${planId}`;
  if (decision === 'approve') {
    const { incident, now, planTtlMs } = standing;
    if (incident?.status === 'resolved')
      return `incident ${plan.plan.incidentId} is resolved: plan ${planId} no longer applies`;
    if (
      now !== undefined &&
      planTtlMs !== undefined &&
      planExpired(plan.plan.createdAt, now, planTtlMs)
    )
      return `plan ${planId} expired: it was drafted at ${plan.plan.createdAt} and can no longer be approved`;
  }
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
