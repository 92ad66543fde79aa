import type { AlertSeverity, IncidentAction, IncidentEvent } from '@vigil/contracts';

/** What a receiver is told: the incident started (trigger), someone is on it, or it ended. */
export type NotificationAction = 'trigger' | 'acknowledge' | 'resolve';

/** An incident as routing and the vendors' requests see it. */
export interface IncidentNotification {
  incidentId: string;
  action: NotificationAction;
  title: string;
  severity: AlertSeverity;
  services: string[];
  /** Labels to match on: `alertname`, `service`, `severity` of the alert that opened it, and `status`. */
  labels: Record<string, string>;
  at: string;
  /** Who acknowledged or resolved it, when a person did. */
  by?: string;
  note?: string;
}

/**
 * The notification an incident event calls for: `opened` triggers, `resolved` resolves; an alert
 * joining or a merge changes nothing for the people paged, so it sends nothing.
 */
export function notificationOfIncident(event: IncidentEvent): IncidentNotification | undefined {
  if (event.type !== 'opened' && event.type !== 'resolved') return undefined;
  const labels: Record<string, string> = {
    severity: event.incident.severity,
    status: event.incident.status,
  };
  if (event.incident.services[0]) labels['service'] = event.incident.services[0];
  if (event.type === 'opened' && event.alert) {
    labels['alertname'] = event.alert.alertname;
    labels['service'] = event.alert.service;
  }
  return {
    incidentId: event.incidentId,
    action: event.type === 'opened' ? 'trigger' : 'resolve',
    title: event.incident.title,
    severity: event.incident.severity,
    services: event.incident.services,
    labels,
    at: event.at,
  };
}

/**
 * A person's acknowledge or resolve, told to the receivers the incident went to: `known` is the
 * incident's trigger notification (the action topic carries no service or severity).
 */
export function notificationOfAction(
  action: IncidentAction,
  known: IncidentNotification,
): IncidentNotification {
  return {
    ...known,
    action: action.action,
    at: action.at,
    by: action.by.user,
    ...(action.note ? { note: action.note } : {}),
  };
}
