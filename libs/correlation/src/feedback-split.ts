import { alertKind } from './feedback-memory';
import type { IncidentState, TrackedAlert } from './incident-state';
import { fitTitle } from './incident-title';

/** A split people asked for, as the correlator applies it. */
export interface PeopleSplit {
  incidentId: string;
  newIncidentId: string;
  /** The alerts that leave for the new incident. */
  fingerprints: readonly string[];
  feedbackId: string;
  /** Name and service of the alerts, as people saw them: the new incident's title and kinds. */
  alerts: ReadonlyArray<{ fingerprint: string; alertname: string; service: string }>;
}

/**
 * Moves the split alerts out of `source` (changed in place) into a new incident, which it
 * returns; undefined when the split would move none or all of the alerts still in `source`
 * (alerts that have since gone elsewhere stay where they are, and so do alerts the correlator
 * forgot long after they ended: they stay counted in `source`).
 */
export function splitIncidentState(
  source: IncidentState,
  split: PeopleSplit,
  alerts: ReadonlyMap<string, TrackedAlert>,
  now: number,
  canonical: (incidentId: string) => string,
): IncidentState | undefined {
  const inSource = (fingerprint: string): TrackedAlert | undefined => {
    const tracked = alerts.get(fingerprint);
    return tracked && canonical(tracked.incidentId) === source.id ? tracked : undefined;
  };
  const asked = new Set(split.fingerprints);
  const moving = source.fingerprints.filter((f) => asked.has(f) && inSource(f));
  const movingAlerts = moving.flatMap((f) => inSource(f) ?? []);
  const staying = source.fingerprints.filter((f) => !asked.has(f) && inSource(f));
  // alerts forgotten long after they ended stay with the source, and in its count
  if (moving.length === 0 || (staying.length === 0 && !source.forgotten)) return undefined;
  const names = new Map(split.alerts.map((a) => [a.fingerprint, a]));
  const first = names.get(moving[0]);
  const made: IncidentState = {
    id: split.newIncidentId,
    scope: source.scope,
    title: fitTitle(
      first ? `${first.alertname} on ${first.service}` : `split from ${source.title}`,
    ),
    severity: source.severity,
    status: 'resolved',
    services: [],
    hosts: [],
    separators: structuredClone(source.separators),
    alertingHosts: [],
    failingHosts: [],
    serviceStarts: {},
    fingerprints: moving,
    firing: 0,
    occurrences: 0,
    openedAt: now,
    onset: now,
    updatedAt: now,
    lastJoinAt: now,
    exemplars: source.exemplars.filter((e) => asked.has(e.fingerprint)),
    eventSeq: 0,
    kinds: [],
  };
  for (const tracked of movingAlerts) moveAlert(tracked, source, made);
  made.status = made.firing > 0 ? 'open' : 'resolved';
  const kinds = moving.flatMap((f) => {
    const name = names.get(f);
    return name ? [alertKind(name)] : [];
  });
  made.kinds = [...new Set(kinds)];
  source.fingerprints = source.fingerprints.filter((f) => !moving.includes(f));
  source.exemplars = source.exemplars.filter((e) => !asked.has(e.fingerprint));
  keepWhatStays(source, staying, alerts, names);
  source.updatedAt = now;
  return made;
}

function moveAlert(tracked: TrackedAlert, from: IncidentState, to: IncidentState): void {
  tracked.incidentId = to.id;
  if (tracked.status === 'firing') {
    to.firing++;
    from.firing = Math.max(0, from.firing - 1);
  }
  to.occurrences += tracked.occurrences;
  from.occurrences = Math.max(0, from.occurrences - tracked.occurrences);
  to.onset = Math.min(to.onset, tracked.since ?? tracked.firstSeen);
  const service = tracked.service;
  if (service === undefined) return;
  if (!to.services.includes(service)) to.services.push(service);
  const start = tracked.since ?? tracked.firstSeen;
  to.serviceStarts[service] = Math.max(to.serviceStarts[service] ?? start, start);
}

/**
 * Services and kinds of the incident are those of the alerts left in it, where they are known: not
 * when it has forgotten alerts, whose services and kinds nobody knows any more.
 */
function keepWhatStays(
  source: IncidentState,
  staying: readonly string[],
  alerts: ReadonlyMap<string, TrackedAlert>,
  names: ReadonlyMap<string, { alertname: string; service: string }>,
): void {
  if (source.forgotten) return;
  const services = staying.map((f) => alerts.get(f)?.service);
  if (services.every((s) => s !== undefined)) {
    source.services = source.services.filter((s) => services.includes(s));
    for (const service of Object.keys(source.serviceStarts))
      if (!services.includes(service)) delete source.serviceStarts[service];
  }
  const kinds = staying.flatMap((f) => {
    const name = names.get(f);
    return name ? [alertKind(name)] : [];
  });
  if (kinds.length === staying.length) source.kinds = [...new Set(kinds)];
}
