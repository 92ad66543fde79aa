import type {
  DlqRecord,
  IncidentEvent,
  RemediationExecution,
  RemediationPlan,
} from '@vigil/contracts';

/** Alert key (`g3-a1`) -> the incidents it opened or joined, merged incidents followed. */
export type Grouping = Map<string, Set<string>>;

/**
 * Which incidents each storm alert ended in: from `opened` and `alert-attached` events whose
 * fingerprint starts with `prefix`, an incident merged into another counted as the survivor.
 */
export function groupingOf(events: readonly IncidentEvent[], prefix: string): Grouping {
  const survivor = new Map<string, string>();
  for (const e of events) if (e.type === 'merged') survivor.set(e.mergedIncidentId, e.incidentId);
  const follow = (id: string) => {
    const seen = new Set<string>();
    let at = id;
    while (survivor.has(at) && !seen.has(at)) {
      seen.add(at);
      at = survivor.get(at) ?? at;
    }
    return at;
  };
  const grouping: Grouping = new Map();
  for (const e of events) {
    if (e.type !== 'opened' && e.type !== 'alert-attached') continue;
    if (!e.fingerprint.startsWith(prefix)) continue;
    const key = e.fingerprint.slice(prefix.length);
    const incidents = grouping.get(key) ?? new Set<string>();
    incidents.add(follow(e.incidentId));
    grouping.set(key, incidents);
  }
  return grouping;
}

/** The alerts of each incident: the partition a grouping makes (keys in several are in each). */
function partition(grouping: Grouping): Map<string, Set<string>> {
  const members = new Map<string, Set<string>>();
  for (const [key, incidents] of grouping)
    for (const id of incidents) members.set(id, (members.get(id) ?? new Set()).add(key));
  return members;
}

export interface GroupingCounts {
  /** Accepted by ingest, in no incident. */
  alertsLost: number;
  /**
   * Incidents beyond the expected: an expected incident whose alerts went to n incidents counts
   * n-1, and an alert in more than one incident counts once more for each extra one.
   */
  incidentsDuplicated: number;
  /** Expected incidents with no incident of their own: absorbed by another, or all lost. */
  incidentsMissing: number;
}

/**
 * The trial's grouping against the uninterrupted run's, on the alerts both runs had: what a
 * crash or an outage changed in what people see.
 */
export function compareGrouping(
  expected: Grouping,
  got: Grouping,
  accepted: ReadonlySet<string>,
): GroupingCounts {
  const alertsLost = [...accepted].filter((k) => !got.has(k)).length;
  let incidentsDuplicated = 0;
  for (const incidents of got.values()) incidentsDuplicated += Math.max(0, incidents.size - 1);
  const gotOf = (key: string) => [...(got.get(key) ?? [])];
  let incidentsMissing = 0;
  const claimed = new Set<string>();
  // expected incidents in a stable order, so which one "keeps" a shared incident is repeatable
  const expectedIncidents = [...partition(expected).entries()].sort(([a], [b]) =>
    a.localeCompare(b),
  );
  for (const [, keys] of expectedIncidents) {
    const present = [...keys].filter((k) => accepted.has(k));
    if (present.length === 0) continue;
    const landed = new Set(present.flatMap(gotOf));
    incidentsDuplicated += Math.max(0, landed.size - 1);
    const own = [...landed].find((id) => !claimed.has(id));
    if (own === undefined) incidentsMissing++;
    else claimed.add(own);
  }
  return { alertsLost, incidentsDuplicated, incidentsMissing };
}

/**
 * The incidents the two groupings do not share, as lists of alert keys: what to look at when a
 * count is not 0 (`expected` apart, `got` apart).
 */
export function groupingDifferences(
  expected: Grouping,
  got: Grouping,
): { expected: string[][]; got: string[][] } {
  const groups = (grouping: Grouping) =>
    [...partition(grouping).values()].map((keys) => [...keys].sort().join(' '));
  const [before, after] = [groups(expected), groups(got)];
  const only = (mine: string[], theirs: string[]) =>
    mine.filter((g) => !theirs.includes(g)).map((g) => g.split(' '));
  return { expected: only(before, after), got: only(after, before) };
}

/**
 * Plans beyond one per piece of work: the same plan id published again with other steps, or a
 * second plan for the same incident, fault class and targets drafted while the first had not
 * ended (a planner that forgot it had drafted one).
 */
export function duplicatePlans(
  plans: readonly RemediationPlan[],
  executions: readonly RemediationExecution[],
): number {
  const endedAt = new Map<string, number>();
  for (const e of executions)
    if (e.type === 'plan-completed' || e.type === 'plan-aborted')
      endedAt.set(e.planId, Math.min(endedAt.get(e.planId) ?? Infinity, Date.parse(e.at)));
  const byId = new Map<string, RemediationPlan>();
  let duplicates = 0;
  const distinct: RemediationPlan[] = [];
  for (const plan of plans) {
    const known = byId.get(plan.planId);
    if (known) {
      if (JSON.stringify(known.steps) !== JSON.stringify(plan.steps)) duplicates++;
      continue;
    }
    byId.set(plan.planId, plan);
    distinct.push(plan);
  }
  const what = (p: RemediationPlan) =>
    `${p.incidentId}|${p.faultClass}|${p.steps.map((s) => `${s.action}@${s.target}`).join(',')}`;
  const sorted = [...distinct].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  for (const [i, plan] of sorted.entries()) {
    const created = Date.parse(plan.createdAt);
    const live = sorted
      .slice(0, i)
      .some((p) => what(p) === what(plan) && (endedAt.get(p.planId) ?? Infinity) > created);
    if (live) duplicates++;
  }
  return duplicates;
}

/**
 * Steps carried out more than once: an apply of the same plan step that succeeded again without
 * the adapter saying it was already applied.
 */
export function stepsAppliedTwice(executions: readonly RemediationExecution[]): number {
  const applied = new Map<string, number>();
  for (const e of executions) {
    if (e.type !== 'step-succeeded' || e.detail['mode'] === 'dry-run') continue;
    if (e.detail['alreadyApplied'] === true || e.detail['alreadyApplied'] === 'true') continue;
    const key = `${e.planId}/${e.stepId ?? ''}`;
    applied.set(key, (applied.get(key) ?? 0) + 1);
  }
  return [...applied.values()].reduce((n, count) => n + Math.max(0, count - 1), 0);
}

/** Keys an idempotency ledger (JSON lines) holds more than once: applied twice despite it. */
export function ledgerDuplicates(lines: readonly string[]): number {
  const seen = new Map<string, number>();
  for (const line of lines) {
    if (!line.trim()) continue;
    try {
      const key = (JSON.parse(line) as { key?: unknown }).key;
      if (typeof key === 'string') seen.set(key, (seen.get(key) ?? 0) + 1);
    } catch {
      // a line cut short by a kill -9 is not a second application
    }
  }
  return [...seen.values()].reduce((n, count) => n + Math.max(0, count - 1), 0);
}

/** DLQ records written in [from, to), by reason (the first 80 characters). */
export function dlqInWindow(
  records: readonly DlqRecord[],
  from: number,
  to: number,
): { count: number; reasons: Record<string, number> } {
  const reasons: Record<string, number> = {};
  let count = 0;
  for (const r of records) {
    const at = Date.parse(r.failedAt);
    if (at < from || at >= to) continue;
    count++;
    const reason = `${r.originalTopic}: ${r.reason.slice(0, 80)}`;
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  return { count, reasons };
}
