import type { IncidentEvent, RcaResult, RootCauseCandidate } from '@vigil/contracts';

export const t0 = Date.parse('2026-11-27T10:00:00Z');
/** The epoch milliseconds `seconds` after t0. */
export const at = (seconds: number) => t0 + seconds * 1000;
export const iso = (seconds: number) => new Date(at(seconds)).toISOString();

/** A crash: the service is gone (TargetDown) and its throughput fell. */
export const candidate = (
  service: string,
  score: number,
  fingerprint = `f-${service}`,
): RootCauseCandidate => ({
  service,
  rank: 1,
  score,
  path: [service, 'frontend'],
  evidence: {
    metrics: [{ metric: 'throughput', score: 40, onset: iso(0), direction: 'down' }],
    logTemplates: [],
    alerts: [{ fingerprint, alertname: 'TargetDown', startsAt: iso(0) }],
  },
});

let revision = 0;
/** An RCA result ranking `candidates`, each a newer revision than the last. */
export const ranking = (
  incidentId: string,
  seconds: number,
  ...candidates: RootCauseCandidate[]
): RcaResult => ({
  schemaVersion: 1,
  incidentId,
  revision: revision++,
  generatedAt: iso(seconds),
  method: 'test',
  candidates,
});

/** A checkout incident opening, gaining an alert or resolving `seconds` after t0. */
export function incidentEvent(
  incidentId: string,
  type: 'opened' | 'alert-attached' | 'resolved',
  seconds = 0,
): IncidentEvent {
  const base = {
    schemaVersion: 1 as const,
    eventId: `${incidentId}:${type}:${seconds}`,
    incidentId,
    at: iso(seconds),
    incident: {
      title: 'checkout errors',
      severity: 'critical' as const,
      status: type === 'resolved' ? ('resolved' as const) : ('open' as const),
      services: ['checkout'],
      alertCount: 1,
      openedAt: iso(0),
      updatedAt: iso(seconds),
    },
  };
  return type === 'resolved'
    ? { ...base, type }
    : { ...base, type, fingerprint: 'f', reason: { kind: 'first-alert' } };
}
