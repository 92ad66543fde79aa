import type { IncidentEvent, RcaResult, RootCauseCandidate } from '@vigil/contracts';

/** The event a correlator publishes when a critical alert on `services` opens `incidentId`. */
export function openedIncident(
  incidentId: string,
  services: string[],
  title: string,
  now = new Date().toISOString(),
): IncidentEvent {
  return {
    schemaVersion: 1,
    eventId: `${incidentId}:1`,
    incidentId,
    at: now,
    type: 'opened',
    fingerprint: `${incidentId}-f`,
    reason: { kind: 'first-alert' },
    incident: {
      title,
      severity: 'critical',
      status: 'open',
      services,
      alertCount: 1,
      openedAt: now,
      updatedAt: now,
    },
  };
}

/** The root-cause service's answer for `incidentId`: `candidates` in rank order. */
export function rankingOf(
  incidentId: string,
  candidates: RootCauseCandidate[],
  revision = 0,
  now = new Date().toISOString(),
): RcaResult {
  return { schemaVersion: 1, incidentId, revision, generatedAt: now, method: 'test', candidates };
}

/**
 * `service` is gone (TargetDown, alert `fingerprint`) and serves nothing: a crash, whose
 * known-good runbook a planner publishes at once. Alone in a ranking it leads decisively.
 */
export function crashCandidate(
  service: string,
  fingerprint: string,
  now = new Date().toISOString(),
): RootCauseCandidate {
  return {
    service,
    rank: 1,
    score: 0.9,
    path: [service],
    evidence: {
      metrics: [{ metric: 'throughput', score: 40, onset: now, direction: 'down' }],
      logTemplates: [],
      alerts: [{ fingerprint, alertname: 'TargetDown', startsAt: now }],
    },
  };
}
