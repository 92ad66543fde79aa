import type { RemediationExecution, RemediationPlan } from '@vigil/contracts';
import type { Halt } from './commands';
import { eventIds } from './event-ids';

/** What the executor knows of a plan's incident from vigil.incidents.v1 and incident actions. */
export interface IncidentStanding {
  closed: boolean;
  /** Who or what closed it, for the audit: `resolved by alice (console)`. */
  why?: string;
  /** Closed by a person (console, Slack, API), not by the correlator when its alerts cleared. */
  byPerson?: boolean;
}

/**
 * Why the plan may take no further step now: it is older than its time to live, or its incident
 * is closed. A plan is drafted for an incident as it was; after either it no longer applies.
 * When the correlator closes the incident because its alerts cleared, a plan that already changed
 * something goes on to its end: its own first step is the likely reason the alerts cleared, and
 * a change left half-done is worse. A person resolving the incident stops every plan.
 */
export function planHalt(
  plan: Pick<RemediationPlan, 'planId' | 'incidentId' | 'createdAt'>,
  now: number,
  ttlMs: number,
  incident: IncidentStanding | undefined,
  wentLive = false,
): Halt | undefined {
  if (incident?.closed && (incident.byPerson || !wentLive)) {
    const why = incident.why ? ` (${incident.why})` : '';
    const reason = `incident ${plan.incidentId} is resolved${why}: plan ${plan.planId} no longer applies`;
    return { cause: 'incident-closed', reason };
  }
  const age = now - Date.parse(plan.createdAt);
  if (!(age <= ttlMs)) {
    const minutes = Math.round(ttlMs / 60_000);
    const reason = `plan ${plan.planId} expired: drafted at ${plan.createdAt}, plans live ${minutes} min`;
    return { cause: 'expired', reason };
  }
  return undefined;
}

/** Whether a plan is too old to approve or run: the console asks this before an approval too. */
export const planExpired = (createdAt: string, now: number, ttlMs: number): boolean =>
  !(now - Date.parse(createdAt) <= ttlMs);

export interface Refusal {
  plan: Pick<RemediationPlan, 'planId' | 'incidentId'>;
  code: string;
  reason: string;
  at: number;
}

/**
 * The audit event of a second plan under a known id with other content. Its id names the refused
 * content, so reading the plans topic again after a restart finds it already on record.
 */
export function planRefusedEvent(
  refusal: Refusal,
  refusedHash: string,
  keptHash: string,
): RemediationExecution {
  return refusalEvent('plan-refused', eventIds.planRefused(refusal.plan.planId, refusedHash), {
    ...refusal,
    extra: { refusedContentHash: refusedHash, keptContentHash: keptHash },
  });
}

/** The audit event of a decision the executor will not count; one per decision. */
export function decisionRefusedEvent(refusal: Refusal, decisionId: string): RemediationExecution {
  return refusalEvent(
    'decision-refused',
    eventIds.decisionRefused(refusal.plan.planId, decisionId),
    {
      ...refusal,
      extra: { decisionId },
    },
  );
}

function refusalEvent(
  type: 'plan-refused' | 'decision-refused',
  eventId: string,
  r: Refusal & { extra: Record<string, string> },
): RemediationExecution {
  return {
    schemaVersion: 1,
    eventId,
    planId: r.plan.planId,
    incidentId: r.plan.incidentId,
    type,
    at: new Date(r.at).toISOString(),
    detail: { code: r.code, reason: r.reason.slice(0, 1000), ...r.extra },
  };
}
