// A simulated responder for bench:feedback: reads Vigil's grouping of some alerts against the
// truth and corrects the mistakes as a person on call would, in the order they showed up: an
// incident holding alerts of another true incident is split (that incident's alerts move out), and
// a true incident spread over several of Vigil's incidents is merged into the largest of them.
import type { Alert, FeedbackAlert, IncidentFeedback } from '@vigil/contracts';

/** One alert as Vigil placed it: its incident ('' when it placed none) and its true incident. */
export interface Placed {
  alert: Alert;
  truth: string;
  incident: string;
}

const by = { user: 'bench-responder', role: 'responder' as const };

interface Mistake {
  at: number;
  feedback: IncidentFeedback;
}

/** Per incident, its alerts in arrival order. */
function byIncident(placed: readonly Placed[]): Map<string, Placed[]> {
  const incidents = new Map<string, Placed[]>();
  for (const p of placed) {
    if (!p.incident) continue;
    const list = incidents.get(p.incident) ?? [];
    list.push(p);
    incidents.set(p.incident, list);
  }
  return incidents;
}

function majority(alerts: readonly Placed[]): string {
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.truth, (counts.get(a.truth) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}

/** The alerts of an incident as people saw them: one per fingerprint. */
function seen(incident: string, alerts: readonly Placed[]): FeedbackAlert[] {
  const unique = new Map<string, FeedbackAlert>();
  for (const { alert } of alerts)
    unique.set(alert.fingerprint, {
      fingerprint: alert.fingerprint,
      alertname: alert.alertname,
      service: alert.service,
      incidentId: incident,
    });
  return [...unique.values()];
}

function common(id: string, at: number, incidentId: string) {
  return {
    schemaVersion: 1 as const,
    feedbackId: id,
    incidentId,
    by,
    via: 'api' as const,
    at: new Date(at).toISOString(),
  };
}

function splits(incidents: ReadonlyMap<string, Placed[]>): Mistake[] {
  const found: Mistake[] = [];
  for (const [incident, alerts] of incidents) {
    const main = majority(alerts);
    const strangers = new Map<string, Placed[]>();
    for (const a of alerts)
      if (a.truth !== main) strangers.set(a.truth, [...(strangers.get(a.truth) ?? []), a]);
    for (const [truth, moved] of strangers) {
      const at = Date.parse(moved[0].alert.receivedAt);
      found.push({
        at,
        feedback: {
          ...common(`split:${incident}:${truth}`, at, incident),
          type: 'split',
          fingerprints: [...new Set(moved.map((m) => m.alert.fingerprint))],
          newIncidentId: `split-${incident}-${found.length}`,
          alerts: seen(incident, alerts),
        },
      });
    }
  }
  return found;
}

function merges(incidents: ReadonlyMap<string, Placed[]>): Mistake[] {
  const ofTruth = new Map<string, string[]>();
  for (const [incident, alerts] of incidents) {
    const truth = majority(alerts);
    ofTruth.set(truth, [...(ofTruth.get(truth) ?? []), incident]);
  }
  const found: Mistake[] = [];
  for (const [truth, parts] of ofTruth) {
    if (parts.length < 2) continue;
    const first = (id: string) => Date.parse(incidents.get(id)?.[0]?.alert.receivedAt ?? '');
    const inTime = [...parts].sort((a, b) => first(a) - first(b));
    const count = (id: string) => incidents.get(id)?.filter((a) => a.truth === truth).length ?? 0;
    const survivor = [...parts].sort((a, b) => count(b) - count(a))[0];
    const at = first(inTime[1]);
    found.push({
      at,
      feedback: {
        ...common(`merge:${truth}`, at, survivor),
        type: 'merge',
        mergedIncidentIds: parts.filter((p) => p !== survivor),
        alerts: parts.flatMap((p) => seen(p, incidents.get(p) ?? [])),
      },
    });
  }
  return found;
}

/** The first `limit` corrections a responder would make, in the order the mistakes showed up. */
export function responderFeedback(placed: readonly Placed[], limit: number): IncidentFeedback[] {
  const incidents = byIncident(placed);
  return [...splits(incidents), ...merges(incidents)]
    .sort((a, b) => a.at - b.at || a.feedback.feedbackId.localeCompare(b.feedback.feedbackId))
    .slice(0, limit)
    .map((m) => m.feedback);
}
