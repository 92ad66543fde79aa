import type { AlertSeverity } from '@vigil/contracts';

/** What the correlator remembers of one alert fingerprint. */
export interface TrackedAlert {
  fingerprint: string;
  incidentId: string;
  status: 'firing' | 'resolved';
  occurrences: number;
  firstSeen: number;
  lastSeen: number;
  /** The service it is about (absent in snapshots written before it was kept). */
  service?: string;
  /** While firing: when it resolves unless re-sent (its own endsAt, or lastSeen plus its resolve timeout). */
  expiresAt?: number;
  /** Which of the two `expiresAt` is. */
  expiry?: 'expired' | 'resolve-timeout';
  /** Times it changed between firing and resolved, within the flap window. */
  transitions?: number[];
  flapping?: boolean;
  /** Start of its current run of trouble: firing, with quiet gaps shorter than the chronic age. */
  since?: number;
  /** When it last stopped firing (resolved, expired or closed with its incident). */
  endedAt?: number;
  /** How it last stopped: a resolve, its endsAt, its resolve timeout, or its incident's maximum age. */
  endedBy?: 'resolved' | 'expired' | 'resolve-timeout' | 'max-age';
}

/** An alert's embedding kept to compare later alerts with; `service` is where the alert was. */
export interface Exemplar {
  fingerprint: string;
  vector: Float32Array;
  service?: string;
}

/** An incident as the correlator holds it: plain data, so it can be snapshotted and restored. */
export interface IncidentState {
  id: string;
  scope: string;
  title: string;
  severity: AlertSeverity;
  status: 'open' | 'resolved';
  services: string[];
  hosts: string[];
  /** Values of the separating labels (cluster, region ...) among its alerts. */
  separators: Record<string, string[]>;
  /** Hosts whose own alert (node down, node disk) is in the incident: it explains their residents. */
  alertingHosts: string[];
  /** Alerting hosts whose alert reads like a failure (down, unreachable), not a local condition. */
  failingHosts: string[];
  /** Per service, the latest start among its new alerts: where the incident is spreading now. */
  serviceStarts: Record<string, number>;
  fingerprints: string[];
  /**
   * Alerts that ended longer than the retention ago, no longer tracked: counted in the incident's
   * alert count, not kept (absent in snapshots written before it existed).
   */
  forgotten?: number;
  firing: number;
  occurrences: number;
  openedAt: number;
  /** The earliest start among its alerts: structural joins are measured from here, so incidents do not snowball. */
  onset: number;
  updatedAt: number;
  /** When the latest new alert (not a repeat) joined: the window is measured from here. */
  lastJoinAt: number;
  exemplars: Exemplar[];
  eventSeq: number;
  mergedInto?: string;
  /** Kinds of its alerts (alertname@service), for what people taught (absent in older snapshots). */
  kinds?: string[];
}

export interface CorrelatorState {
  clock: number;
  incidents: IncidentState[];
  alerts: TrackedAlert[];
}

const severityRank: Record<AlertSeverity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

export function worseSeverity(a: AlertSeverity, b: AlertSeverity): AlertSeverity {
  return severityRank[a] >= severityRank[b] ? a : b;
}
