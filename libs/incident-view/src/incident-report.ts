import { planSource } from '@vigil/action-catalog';
import type { IncidentView, PlanState, PlanView } from './incident-view.types';

/** Which incidents a report covers: those opened in [since, until] (epoch ms) on these services. */
export interface ReportScope {
  since: number;
  until: number;
  /** Any of these services (a team is the services it owns); empty or absent: all. */
  services?: readonly string[];
}

/** One stored incident: its view and when it ended (the store's resolvedAt). */
export interface ReportIncident {
  view: IncidentView;
  resolvedAt?: string;
}

/**
 * What a report needs of one incident, small enough for the store to keep beside the view (a
 * report over months reads these, not the views).
 */
export interface ReportFacts {
  severity: string;
  status: IncidentView['status'];
  services: string[];
  alertCount: number;
  openedAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  autoHealed: boolean;
  plans: Array<{ provenance: string; state: PlanState }>;
  /** Alerts by rule and service (distinct fingerprints). */
  alerts: Array<{ alertname: string; service: string; count: number }>;
}

/** A duration over the incidents it applies to; null figures when none does. */
export interface DurationFigure {
  count: number;
  meanMs: number | null;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface ReportBucket {
  start: string;
  incidents: number;
  alerts: number;
}

export interface IncidentReport {
  scope: { since: string; until: string; services: string[] };
  /** Length of each bucket in `series`: a day, or a week over periods longer than 92 days. */
  bucketMs: number;
  series: ReportBucket[];
  incidents: { total: number; bySeverity: Record<string, number>; resolved: number };
  /** Alerts the incidents grouped; noise reduction is the share of alerts nobody was paged for. */
  alerts: { total: number; perIncident: number | null; noiseReduction: number | null };
  /** Opened to the first person's acknowledgement. */
  mtta: DurationFigure;
  /** Opened to resolved. */
  mttr: DurationFigure;
  /** Resolved incidents healed by a plan that ran without anyone approving it. */
  autoHeal: { healed: number; resolved: number; rate: number | null };
  plans: {
    total: number;
    byProvenance: Array<{ provenance: string; plans: number; completed: number }>;
    byState: Partial<Record<PlanState, number>>;
  };
  topServices: Array<{ service: string; incidents: number; alerts: number }>;
  topAlerts: Array<{ alertname: string; service: string; alerts: number; incidents: number }>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TOP = 10;

/**
 * The report people read over a period: incidents, alerts per incident and noise reduction,
 * MTTA, MTTR, auto-heal rate, plans by provenance, the noisiest services and alerts. Pure: the
 * console and `vigil report` give it the stored incidents of the period.
 */
export function incidentReport(stored: readonly ReportFacts[], scope: ReportScope): IncidentReport {
  const services = [...(scope.services ?? [])];
  const facts = stored.filter((f) => inScope(f, scope, services));
  const alerts = sum(facts.map((f) => f.alertCount));
  const resolved = facts.filter((f) => f.status === 'resolved');
  const healed = resolved.filter((f) => f.autoHealed).length;
  const bucketMs = scope.until - scope.since > 92 * DAY_MS ? 7 * DAY_MS : DAY_MS;
  return {
    scope: { since: iso(scope.since), until: iso(scope.until), services },
    bucketMs,
    series: series(facts, scope, bucketMs),
    incidents: {
      total: facts.length,
      bySeverity: countBy(facts, (f) => f.severity),
      resolved: resolved.length,
    },
    alerts: {
      total: alerts,
      perIncident: ratio(alerts, facts.length),
      noiseReduction: alerts === 0 ? null : 1 - facts.length / alerts,
    },
    mtta: durations(facts.flatMap((f) => since(f.openedAt, f.acknowledgedAt))),
    mttr: durations(resolved.flatMap((f) => since(f.openedAt, f.resolvedAt))),
    autoHeal: { healed, resolved: resolved.length, rate: ratio(healed, resolved.length) },
    plans: planFigures(facts.flatMap((f) => f.plans)),
    topServices: topServices(facts),
    topAlerts: topAlerts(facts),
  };
}

/** An incident's report facts from its view and when it ended (the store's resolvedAt). */
export function reportFactsOf({ view, resolvedAt }: ReportIncident): ReportFacts {
  const alerts = new Map<string, ReportFacts['alerts'][number]>();
  for (const a of view.alerts) {
    if (!a.alert) continue;
    const key = `${a.alert.alertname}\u0000${a.alert.service}`;
    const row = alerts.get(key) ?? {
      alertname: a.alert.alertname,
      service: a.alert.service,
      count: 0,
    };
    row.count += 1;
    alerts.set(key, row);
  }
  const ended = view.status === 'resolved' ? (resolvedAt ?? view.resolvedBy?.at) : undefined;
  return {
    severity: view.severity,
    status: view.status,
    services: [...view.services],
    alertCount: view.alertCount,
    openedAt: view.openedAt,
    ...(view.acknowledgedBy && { acknowledgedAt: view.acknowledgedBy.at }),
    ...(ended && { resolvedAt: ended }),
    autoHealed: autoHealed(view),
    plans: view.plans.map((p) => ({ provenance: planProvenance(p), state: p.state })),
    alerts: [...alerts.values()],
  };
}

/**
 * The facts of an incident as the store answers a report: the facts it kept, or (an incident
 * stored before it kept them) worked out from the view.
 */
export function storedReportFacts(row: {
  facts?: string;
  view?: string;
  resolvedAt?: string;
}): ReportFacts {
  if (row.facts) return JSON.parse(row.facts) as ReportFacts;
  const view = JSON.parse(row.view ?? 'null') as IncidentView;
  return reportFactsOf({ view, ...(row.resolvedAt && { resolvedAt: row.resolvedAt }) });
}

/** How a plan came to be: the known-good runbook, or the model that drafted it. */
export function planProvenance(plan: PlanView): string {
  const p = plan.plan.provenance;
  const source = planSource(p);
  if (source === 'known-good') return 'known-good runbook';
  return source === 'evidence-signature' ? 'evidence signature' : `drafted by ${p.model}`;
}

/** Healed with no one in the loop: a plan completed without an approval, nobody resolved it by hand. */
export function autoHealed(view: IncidentView): boolean {
  if (view.status !== 'resolved' || view.resolvedBy) return false;
  return view.plans.some(
    (p) => p.state === 'completed' && !p.decisions.some((d) => d.decision === 'approve'),
  );
}

function inScope(facts: ReportFacts, scope: ReportScope, services: readonly string[]): boolean {
  const opened = Date.parse(facts.openedAt);
  if (opened < scope.since || opened > scope.until) return false;
  return services.length === 0 || facts.services.some((s) => services.includes(s));
}

function since(from: string, to: string | undefined): number[] {
  if (!to) return [];
  return [Math.max(0, Date.parse(to) - Date.parse(from))];
}

function series(
  views: readonly ReportFacts[],
  scope: ReportScope,
  bucketMs: number,
): ReportBucket[] {
  const start = Math.floor(scope.since / DAY_MS) * DAY_MS;
  const count = Math.max(1, Math.ceil((scope.until - start + 1) / bucketMs));
  const buckets = Array.from({ length: count }, (_, i) => ({
    start: iso(start + i * bucketMs),
    incidents: 0,
    alerts: 0,
  }));
  for (const v of views) {
    const bucket = buckets[Math.floor((Date.parse(v.openedAt) - start) / bucketMs)];
    if (!bucket) continue;
    bucket.incidents += 1;
    bucket.alerts += v.alertCount;
  }
  return buckets;
}

function planFigures(plans: ReportFacts['plans']): IncidentReport['plans'] {
  const byProvenance = new Map<string, { plans: number; completed: number }>();
  for (const plan of plans) {
    const row = byProvenance.get(plan.provenance) ?? { plans: 0, completed: 0 };
    row.plans += 1;
    if (plan.state === 'completed') row.completed += 1;
    byProvenance.set(plan.provenance, row);
  }
  return {
    total: plans.length,
    byProvenance: [...byProvenance]
      .map(([provenance, row]) => ({ provenance, ...row }))
      .sort((a, b) => b.plans - a.plans || a.provenance.localeCompare(b.provenance)),
    byState: countBy(plans, (p) => p.state),
  };
}

function topServices(views: readonly ReportFacts[]): IncidentReport['topServices'] {
  const rows = new Map<string, { incidents: number; alerts: number }>();
  for (const v of views)
    for (const service of new Set(v.services)) {
      const row = rows.get(service) ?? { incidents: 0, alerts: 0 };
      row.incidents += 1;
      row.alerts += v.alertCount;
      rows.set(service, row);
    }
  return [...rows]
    .map(([service, row]) => ({ service, ...row }))
    .sort(
      (a, b) =>
        b.alerts - a.alerts || b.incidents - a.incidents || a.service.localeCompare(b.service),
    )
    .slice(0, TOP);
}

// By alert rule and service: one noisy rule on one service is one thing to fix.
function topAlerts(facts: readonly ReportFacts[]): IncidentReport['topAlerts'] {
  const rows = new Map<string, IncidentReport['topAlerts'][number]>();
  for (const f of facts)
    for (const a of f.alerts) {
      const key = `${a.alertname}\u0000${a.service}`;
      const row = rows.get(key) ?? {
        alertname: a.alertname,
        service: a.service,
        alerts: 0,
        incidents: 0,
      };
      row.alerts += a.count;
      row.incidents += 1;
      rows.set(key, row);
    }
  return [...rows.values()]
    .sort(
      (a, b) =>
        b.alerts - a.alerts ||
        b.incidents - a.incidents ||
        a.alertname.localeCompare(b.alertname) ||
        a.service.localeCompare(b.service),
    )
    .slice(0, TOP);
}

function durations(values: readonly number[]): DurationFigure {
  if (values.length === 0) return { count: 0, meanMs: null, medianMs: null, p90Ms: null };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    meanMs: Math.round(sum(sorted) / sorted.length),
    medianMs: rank(sorted, 0.5),
    p90Ms: rank(sorted, 0.9),
  };
}

// Nearest rank: a duration some incident really had.
function rank(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

const unitMs: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A report's `since` or `until` as people write it: an ISO time with an offset, or a while
 * before `now` (90s, 15m, 2h, 7d). Undefined when it is neither.
 */
export function reportTime(text: string, now: number): number | undefined {
  const ago = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (ago) return now - Number(ago[1]) * (unitMs[ago[2] ?? 's'] ?? 1_000);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text.trim()))
    return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}
