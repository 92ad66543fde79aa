import type { IncidentEvent } from '@vigil/contracts';

/** fingerprint -> final incident, as a consumer of vigil.incidents.v1 would rebuild it. */
export function groupingFromEvents(events: IncidentEvent[]): Map<string, string> {
  const mergedInto = new Map<string, string>();
  const incidentOf = new Map<string, string>();
  for (const event of events) {
    if (event.type === 'merged') mergedInto.set(event.mergedIncidentId, event.incidentId);
    if (event.type === 'opened' || event.type === 'alert-attached')
      incidentOf.set(event.fingerprint, event.incidentId);
  }
  const canonical = (id: string): string =>
    mergedInto.has(id) ? canonical(mergedInto.get(id) ?? id) : id;
  return new Map([...incidentOf].map(([fingerprint, id]) => [fingerprint, canonical(id)]));
}

/** Groups as sets of fingerprints, so two runs compare whatever their incident ids. */
export function fingerprintGroups(grouping: Map<string, string>): string[] {
  const groups = new Map<string, string[]>();
  for (const [fingerprint, id] of grouping)
    groups.set(id, [...(groups.get(id) ?? []), fingerprint]);
  return [...groups.values()].map((g) => g.sort().join(',')).sort();
}
