import type { IncidentEvent } from '@vigil/contracts';

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
