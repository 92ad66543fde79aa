import type {
  IncidentAction,
  IncidentEvent,
  IncidentSummary,
  RcaResult,
  RemediationDecision,
  RemediationExecution,
  RemediationPlan,
} from '@vigil/contracts';
import type {
  IncidentFilter,
  IncidentListItem,
  IncidentView,
  PlanView,
  TimelineEntry,
} from './incident-view.types';
import { planView } from './plan-state';
import { describeAction, describeEvent, describeExecution } from './timeline-text';

interface PlanRecord {
  plan: RemediationPlan;
  decisions: RemediationDecision[];
  audit: RemediationExecution[];
}

interface IncidentRecord {
  id: string;
  /** Event and action ids seen: redeliveries and retries are kept once. */
  seen: Set<string>;
  summary?: IncidentSummary;
  alerts: IncidentView['alerts'];
  timeline: TimelineEntry[];
  /** The latest time in the timeline (ms, and as written): kept as entries come, not searched. */
  latest?: { ms: number; at: string };
  rca?: RcaResult;
  plans: Map<string, PlanRecord>;
  acknowledgedBy?: { user: string; at: string };
  resolvedBy?: { user: string; at: string };
  mergedInto?: string;
}

export interface IncidentBoardOptions {
  /** Oldest incidents beyond this are forgotten, resolved ones first. */
  maxIncidents?: number;
  /** Per incident: the newest entries are kept. */
  maxTimeline?: number;
}

/**
 * The read model behind the console and Slack: every Vigil topic about incidents folded into one
 * view per incident. Topics arrive in any order relative to each other (a root cause may come
 * before its incident is seen), so records are made on first mention and listed once the incident
 * itself is known. Each apply returns the changed incident's row, or undefined when nothing
 * listed changed.
 */
export class IncidentBoard {
  private readonly incidents = new Map<string, IncidentRecord>();
  private readonly planOwners = new Map<string, string>();
  private readonly orphanDecisions = new Map<string, RemediationDecision[]>();
  private readonly orphanAudit = new Map<string, RemediationExecution[]>();

  constructor(private readonly options: IncidentBoardOptions = {}) {}

  applyIncidentEvent(event: IncidentEvent): IncidentListItem | undefined {
    const record = this.record(event.incidentId);
    if (!this.firstTime(record, `event:${event.eventId}`)) return undefined;
    record.summary = event.incident;
    if (event.type === 'opened' || event.type === 'alert-attached') {
      const known = record.alerts.find((a) => a.fingerprint === event.fingerprint);
      // split out by people: the details come along from where it was
      const moved =
        event.reason.kind === 'split-by-people'
          ? this.moveAlertOut(event.reason.fromIncidentId, event.fingerprint)
          : undefined;
      const alert = event.alert ?? moved?.alert;
      if (!known)
        record.alerts.push({
          fingerprint: event.fingerprint,
          at: event.at,
          reason: event.reason,
          ...(alert && { alert }),
          ...((event.alert?.flapping || moved?.flapping) && { flapping: true }),
        });
      // a re-fire of a known alert says whether it flaps now
      else if (event.alert) {
        if (event.alert.flapping) known.flapping = true;
        else delete known.flapping;
      }
    }
    if (event.type === 'merged') this.markMerged(event.mergedIncidentId, event.incidentId);
    // a new alert after people resolved it means it is back: their word no longer holds, and
    // whoever acknowledged the old episode is not necessarily on this one
    if (event.type !== 'resolved' && event.incident.status === 'open' && record.resolvedBy) {
      if (Date.parse(event.at) > Date.parse(record.resolvedBy.at)) {
        record.resolvedBy = undefined;
        record.acknowledgedBy = undefined;
      }
    }
    this.note(record, { at: event.at, kind: 'incident', text: describeEvent(event) });
    this.bound();
    return this.item(record);
  }

  applyRca(result: RcaResult): IncidentListItem | undefined {
    const record = this.record(result.incidentId);
    if (record.rca && record.rca.revision >= result.revision) return undefined;
    record.rca = result;
    const lead = result.candidates[0];
    this.note(record, {
      at: result.generatedAt,
      kind: 'rca',
      text: lead
        ? `root cause (revision ${result.revision}): ${lead.service}, score ${lead.score.toFixed(2)}`
        : `root cause (revision ${result.revision}): no candidate`,
    });
    return this.item(record);
  }

  applyPlan(plan: RemediationPlan): IncidentListItem | undefined {
    const record = this.record(plan.incidentId);
    this.planOwners.set(plan.planId, plan.incidentId);
    // a redelivered plan keeps what was decided and done about it
    const known = record.plans.get(plan.planId);
    if (known) return undefined;
    record.plans.set(plan.planId, {
      plan,
      decisions: this.orphanDecisions.get(plan.planId) ?? [],
      audit: this.orphanAudit.get(plan.planId) ?? [],
    });
    this.orphanDecisions.delete(plan.planId);
    this.orphanAudit.delete(plan.planId);
    const origin = plan.provenance.fallbackUsed
      ? 'known-good runbook'
      : `drafted by ${plan.provenance.model}`;
    this.note(record, {
      at: plan.createdAt,
      kind: 'plan',
      text: `plan ${plan.planId} (${plan.faultClass}, ${origin}): ${plan.steps.map((s) => `${s.action} ${s.target}`).join(', ')}`,
    });
    return this.item(record);
  }

  applyDecision(decision: RemediationDecision): IncidentListItem | undefined {
    const owner = this.owningPlan(decision.planId);
    if (!owner) {
      this.park(this.orphanDecisions, decision.planId, decision);
      return undefined;
    }
    const [record, plan] = owner;
    if (plan.decisions.some((d) => d.decisionId === decision.decisionId)) return undefined;
    plan.decisions.push(decision);
    this.note(record, {
      at: decision.at,
      kind: 'decision',
      text: `${decision.by.displayName ?? decision.by.user} (${decision.by.role}) ${decision.decision === 'approve' ? 'approved' : decision.decision === 'reject' ? 'rejected' : 'cancelled'} ${decision.planId} via ${decision.via}${decision.reason ? `: ${decision.reason}` : ''}`,
    });
    return this.item(record);
  }

  applyExecution(event: RemediationExecution): IncidentListItem | undefined {
    const owner = this.owningPlan(event.planId);
    if (!owner) {
      this.park(this.orphanAudit, event.planId, event);
      return undefined;
    }
    const [record, plan] = owner;
    if (plan.audit.some((e) => e.eventId === event.eventId)) return undefined;
    plan.audit.push(event);
    this.note(record, { at: event.at, kind: 'execution', text: describeExecution(event) });
    return this.item(record);
  }

  applyAction(action: IncidentAction): IncidentListItem | undefined {
    const record = this.record(action.incidentId);
    if (!this.firstTime(record, `action:${action.actionId}`)) return undefined;
    // shown to people: the display name when the audit key is an id (slack:U123, issuer|sub)
    const who = { user: action.by.displayName ?? action.by.user, at: action.at };
    if (action.action === 'acknowledge') record.acknowledgedBy ??= who;
    else record.resolvedBy = who;
    this.note(record, { at: action.at, kind: 'action', text: describeAction(action) });
    return this.item(record);
  }

  list(filter: IncidentFilter = {}): IncidentListItem[] {
    const items: IncidentListItem[] = [];
    for (const record of this.incidents.values()) {
      const item = this.item(record);
      if (item && matchesFilter(item, record, filter)) items.push(item);
    }
    return items.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
  }

  get(incidentId: string): IncidentView | undefined {
    const record = this.incidents.get(incidentId);
    const item = record && this.item(record);
    if (!record || !item) return undefined;
    return {
      ...item,
      ...(record.acknowledgedBy && { acknowledgedBy: record.acknowledgedBy }),
      ...(record.resolvedBy && { resolvedBy: record.resolvedBy }),
      ...(record.mergedInto && { mergedInto: record.mergedInto }),
      alerts: [...record.alerts],
      timeline: [...record.timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
      ...(record.rca && { rca: record.rca }),
      plans: this.planViews(record),
    };
  }

  plan(planId: string): PlanView | undefined {
    const owner = this.owningPlan(planId);
    return owner && planView(owner[1].plan, owner[1].decisions, owner[1].audit);
  }

  private planViews(record: IncidentRecord): PlanView[] {
    return [...record.plans.values()]
      .map((p) => planView(p.plan, p.decisions, p.audit))
      .sort((a, b) => Date.parse(a.plan.createdAt) - Date.parse(b.plan.createdAt));
  }

  private item(record: IncidentRecord): IncidentListItem | undefined {
    const summary = record.summary;
    if (!summary) return undefined;
    const lead = record.rca?.candidates[0];
    const plans = this.planViews(record);
    const latestPlan = plans.at(-1);
    return {
      incidentId: record.id,
      title: summary.title,
      severity: summary.severity,
      status: humanStatus(summary.status, record),
      services: [...summary.services],
      alertCount: summary.alertCount,
      openedAt: summary.openedAt,
      updatedAt:
        record.latest && record.latest.ms > Date.parse(summary.updatedAt)
          ? record.latest.at
          : summary.updatedAt,
      ...(lead && { rootCause: { service: lead.service, score: lead.score } }),
      ...(latestPlan && { planState: latestPlan.state }),
    };
  }

  private record(id: string): IncidentRecord {
    let record = this.incidents.get(id);
    if (!record) {
      record = { id, seen: new Set(), alerts: [], timeline: [], plans: new Map() };
      this.incidents.set(id, record);
    }
    return record;
  }

  private owningPlan(planId: string): [IncidentRecord, PlanRecord] | undefined {
    const owner = this.planOwners.get(planId);
    const record = owner ? this.incidents.get(owner) : undefined;
    const plan = record?.plans.get(planId);
    return record && plan ? [record, plan] : undefined;
  }

  private park<T>(orphans: Map<string, T[]>, planId: string, value: T): void {
    const list = orphans.get(planId) ?? [];
    list.push(value);
    orphans.set(planId, list);
    // a plan that never comes must not hold memory forever
    if (orphans.size > 1_000) orphans.delete(orphans.keys().next().value as string);
  }

  /** The absorbed incident's alerts show under the one it was merged into. */
  private markMerged(absorbedId: string, survivorId: string): void {
    const absorbed = this.incidents.get(absorbedId);
    if (!absorbed) return;
    absorbed.mergedInto = survivorId;
    const survivor = this.record(survivorId);
    for (const alert of absorbed.alerts)
      if (!survivor.alerts.some((a) => a.fingerprint === alert.fingerprint))
        survivor.alerts.push(alert);
  }

  /** People split an alert out of an incident: it shows under its new incident only. */
  private moveAlertOut(
    fromId: string,
    fingerprint: string,
  ): IncidentView['alerts'][number] | undefined {
    const from = this.incidents.get(fromId);
    const index = from?.alerts.findIndex((a) => a.fingerprint === fingerprint) ?? -1;
    if (!from || index < 0) return undefined;
    const [moved] = from.alerts.splice(index, 1);
    if (from.summary)
      from.summary = { ...from.summary, alertCount: Math.max(0, from.summary.alertCount - 1) };
    return moved;
  }

  private firstTime(record: IncidentRecord, id: string): boolean {
    if (record.seen.has(id)) return false;
    record.seen.add(id);
    return true;
  }

  private note(record: IncidentRecord, entry: TimelineEntry): void {
    record.timeline.push(entry);
    const ms = Date.parse(entry.at);
    if (Number.isFinite(ms) && !(record.latest && record.latest.ms >= ms))
      record.latest = { ms, at: entry.at };
    const max = this.options.maxTimeline ?? 500;
    if (record.timeline.length > max) record.timeline.splice(0, record.timeline.length - max);
  }

  private bound(): void {
    const max = this.options.maxIncidents ?? 5_000;
    if (this.incidents.size <= max) return;
    const byAge = [...this.incidents.values()].sort(
      (a, b) =>
        Number(!isFinished(a)) - Number(!isFinished(b)) ||
        Date.parse(a.summary?.updatedAt ?? '') - Date.parse(b.summary?.updatedAt ?? ''),
    );
    for (const record of byAge.slice(0, this.incidents.size - max)) {
      this.incidents.delete(record.id);
      for (const planId of record.plans.keys()) this.planOwners.delete(planId);
    }
  }
}

function isFinished(record: IncidentRecord): boolean {
  return record.summary?.status === 'resolved' || record.resolvedBy !== undefined;
}

function humanStatus(status: IncidentSummary['status'], record: IncidentRecord) {
  if (status === 'resolved' || record.resolvedBy) return 'resolved' as const;
  return record.acknowledgedBy ? ('acknowledged' as const) : ('open' as const);
}

function matchesFilter(
  item: IncidentListItem,
  record: IncidentRecord,
  filter: IncidentFilter,
): boolean {
  if (filter.status?.length && !filter.status.includes(item.status)) return false;
  if (filter.severity?.length && !filter.severity.includes(item.severity)) return false;
  if (filter.service && !item.services.includes(filter.service)) return false;
  if (filter.since !== undefined && Date.parse(item.updatedAt) < filter.since) return false;
  if (filter.until !== undefined && Date.parse(item.openedAt) > filter.until) return false;
  if (filter.q) {
    const haystack = [
      item.title,
      item.incidentId,
      ...item.services,
      item.rootCause?.service ?? '',
      ...record.alerts.map((a) => `${a.alert?.alertname ?? ''} ${a.alert?.summary ?? ''}`),
    ]
      .join(' ')
      .toLowerCase();
    const words = filter.q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.every((w) => haystack.includes(w))) return false;
  }
  return true;
}
