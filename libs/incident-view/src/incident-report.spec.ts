import type {
  IncidentAction,
  IncidentEvent,
  RemediationDecision,
  RemediationExecution,
  RemediationPlan,
} from '@vigil/contracts';
import {
  actionRecord,
  decisionRecord,
  executionRecord,
  foldIncidentHistory,
  type HistoryRecord,
  incidentRecord,
  planRecord,
} from './incident-history';
import { incidentReport, type ReportFacts, reportTime, storedReportFacts } from './incident-report';
import { renderReportText } from './incident-report-text';
import { approval } from './testing/decision-fixtures';

const MIN = 60_000;
const start = Date.UTC(2026, 9, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const services = ['checkout', 'payment', 'cart', 'catalog'];
const alertnames = ['HighErrorRate', 'HighLatency', 'PodRestarts'];

/** Every raw event of the period, as the topics carried them. */
interface RawEvents {
  incidents: IncidentEvent[];
  plans: RemediationPlan[];
  decisions: RemediationDecision[];
  executions: RemediationExecution[];
  actions: IncidentAction[];
}

// Forty incidents, every few hours: some acknowledged, some planned (a runbook or a model), some
// approved, some healed, some resolved by people, some still open.
function rawEvents(): RawEvents {
  const raw: RawEvents = { incidents: [], plans: [], decisions: [], executions: [], actions: [] };
  for (let n = 0; n < 40; n++) addIncident(raw, n);
  return raw;
}

function addIncident(raw: RawEvents, n: number): void {
  const id = `i${n}`;
  const opened = start + n * 5 * 60 * MIN;
  const service = services[n % services.length] ?? 'checkout';
  const alertCount = 1 + (n % 4);
  const summary = (alerts: number, at: number, status: 'open' | 'resolved' = 'open') => ({
    title: `${service} trouble ${n}`,
    severity: n % 3 === 0 ? ('critical' as const) : ('warning' as const),
    status,
    services: [service],
    alertCount: alerts,
    openedAt: iso(opened),
    updatedAt: iso(at),
  });
  for (let a = 0; a < alertCount; a++) {
    const at = opened + a * MIN;
    raw.incidents.push({
      schemaVersion: 1,
      eventId: `${id}:${a}`,
      incidentId: id,
      at: iso(at),
      type: a === 0 ? 'opened' : 'alert-attached',
      fingerprint: `${id}-f${a}`,
      reason: a === 0 ? { kind: 'first-alert' } : { kind: 'same-fingerprint' },
      alert: {
        alertname: alertnames[(n + a) % alertnames.length] ?? 'HighErrorRate',
        service,
        severity: 'warning',
        startsAt: iso(at),
      },
      incident: summary(a + 1, at),
    });
  }
  if (n % 2 === 0) raw.actions.push(action(id, 'acknowledge', opened + (2 + n) * MIN));
  if (n % 3 !== 2) addPlan(raw, n, id, opened);
  if (n % 5 === 4) raw.actions.push(action(id, 'resolve', opened + (30 + n) * MIN));
  else if (n % 7 !== 6) {
    const at = opened + (20 + 3 * n) * MIN;
    raw.incidents.push({
      schemaVersion: 1,
      eventId: `${id}:end`,
      incidentId: id,
      at: iso(at),
      type: 'resolved',
      incident: summary(alertCount, at, 'resolved'),
    });
  }
}

function addPlan(raw: RawEvents, n: number, incidentId: string, opened: number): void {
  const planId = `p${n}`;
  raw.plans.push({
    schemaVersion: 1,
    planId,
    incidentId,
    createdAt: iso(opened + 5 * MIN),
    faultClass: 'crash',
    summary: 'restart',
    steps: [{ stepId: 's1', action: 'restart', target: 'x', params: {}, verification: [] }],
    provenance: { model: 'gemma', promptHash: 'abc', fallbackUsed: n % 4 === 0 },
  });
  if (n % 3 === 1)
    raw.decisions.push(approval(iso(opened + 6 * MIN), { decisionId: `d${n}`, planId }));
  if (n % 6 !== 5)
    raw.executions.push({
      schemaVersion: 1,
      eventId: `x${n}`,
      planId,
      incidentId,
      type: 'plan-completed',
      at: iso(opened + 8 * MIN),
      detail: {},
    });
}

function action(incidentId: string, kind: IncidentAction['action'], at: number): IncidentAction {
  return {
    schemaVersion: 1,
    actionId: `${incidentId}-${kind}`,
    incidentId,
    action: kind,
    by: { user: 'rita', role: 'responder' },
    via: 'console',
    at: iso(at),
  };
}

/** The incidents as the store holds them: each folded from its own records. */
function storedDocuments(raw: RawEvents) {
  const records: HistoryRecord[] = [
    ...raw.incidents.map(incidentRecord),
    ...raw.plans.map(planRecord),
    ...raw.decisions.map(decisionRecord),
    ...raw.executions.map(executionRecord),
    ...raw.actions.map(actionRecord),
  ];
  const planOwner = new Map(raw.plans.map((p) => [p.planId, p.incidentId]));
  const ids = [...new Set(raw.incidents.map((e) => e.incidentId))];
  return ids.map((id) => {
    const own = records.filter((r) => (r.incidentId ?? planOwner.get(r.planId ?? '')) === id);
    const doc = foldIncidentHistory(id, own);
    if (!doc) throw new Error(`no incident ${id}`);
    return doc;
  });
}

/** What a report reads of them: the facts the store keeps. */
function storedIncidents(raw: RawEvents): ReportFacts[] {
  return storedDocuments(raw).map((doc) => storedReportFacts({ facts: doc.reportFacts }));
}

const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);

/** The same figures counted straight from the raw events, without the board's fold. */
function recompute(raw: RawEvents, since: number, until: number) {
  const opened = raw.incidents.filter(
    (e) => e.type === 'opened' && Date.parse(e.at) >= since && Date.parse(e.at) <= until,
  );
  const ids = new Set(opened.map((e) => e.incidentId));
  const openedAt = new Map(opened.map((e) => [e.incidentId, Date.parse(e.at)]));
  const alertEvents = raw.incidents.filter(
    (e) => ids.has(e.incidentId) && (e.type === 'opened' || e.type === 'alert-attached'),
  );
  const mine = <T extends { incidentId: string }>(xs: T[]) =>
    xs.filter((x) => ids.has(x.incidentId));
  const acks = mine(raw.actions).filter((a) => a.action === 'acknowledge');
  const handResolved = mine(raw.actions).filter((a) => a.action === 'resolve');
  const autoResolved = mine(raw.incidents).filter((e) => e.type === 'resolved');
  const ends = [...handResolved, ...autoResolved];
  const plans = mine(raw.plans);
  const completed = new Set(raw.executions.map((x) => x.planId));
  const approved = new Set(raw.decisions.map((d) => d.planId));
  const healed = autoResolved.filter((e) =>
    plans.some(
      (p) => p.incidentId === e.incidentId && completed.has(p.planId) && !approved.has(p.planId),
    ),
  );
  const byAlert = new Map<string, number>();
  for (const e of alertEvents)
    if ('alert' in e && e.alert) {
      const key = `${e.alert.alertname}/${e.alert.service}`;
      byAlert.set(key, (byAlert.get(key) ?? 0) + 1);
    }
  return {
    incidents: ids.size,
    alerts: alertEvents.length,
    noiseReduction: 1 - ids.size / alertEvents.length,
    mtta: mean(acks.map((a) => Date.parse(a.at) - (openedAt.get(a.incidentId) ?? 0))),
    mttr: mean(ends.map((e) => Date.parse(e.at) - (openedAt.get(e.incidentId) ?? 0))),
    resolved: ends.length,
    healed: healed.length,
    runbookPlans: plans.filter((p) => p.provenance.fallbackUsed).length,
    modelPlans: plans.filter((p) => !p.provenance.fallbackUsed).length,
    topAlert: [...byAlert].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0],
  };
}

describe('incidentReport', () => {
  const raw = rawEvents();
  const stored = storedIncidents(raw);

  it.each([
    ['the whole period', start, start + 10 * 24 * 60 * MIN],
    ['part of it', start + 24 * 60 * MIN, start + 5 * 24 * 60 * MIN],
  ])('equals a recomputation from the raw events over %s', (_name, since, until) => {
    const report = incidentReport(stored, { since, until });
    const expected = recompute(raw, since, until);
    expect(report.incidents.total).toBe(expected.incidents);
    expect(report.alerts.total).toBe(expected.alerts);
    expect(report.alerts.perIncident).toBeCloseTo(expected.alerts / expected.incidents, 10);
    expect(report.alerts.noiseReduction).toBeCloseTo(expected.noiseReduction, 10);
    expect(report.mtta.meanMs).toBe(expected.mtta);
    expect(report.mttr.meanMs).toBe(expected.mttr);
    expect(report.incidents.resolved).toBe(expected.resolved);
    expect(report.autoHeal).toEqual({
      healed: expected.healed,
      resolved: expected.resolved,
      rate: expected.healed / expected.resolved,
    });
    const provenance = Object.fromEntries(
      report.plans.byProvenance.map((p) => [p.provenance, p.plans]),
    );
    expect(provenance).toEqual({
      'known-good runbook': expected.runbookPlans,
      'drafted by gemma': expected.modelPlans,
    });
    const top = report.topAlerts[0];
    expect([`${top?.alertname}/${top?.service}`, top?.alerts]).toEqual(expected.topAlert);
    expect(report.series.reduce((n, b) => n + b.incidents, 0)).toBe(expected.incidents);
  });

  it('keeps to the services asked for (a team is the services it owns)', () => {
    const until = start + 10 * 24 * 60 * MIN;
    const report = incidentReport(stored, { since: start, until, services: ['payment', 'cart'] });
    expect(report.incidents.total).toBe(20);
    expect(report.topServices.map((s) => s.service).sort()).toEqual(['cart', 'payment']);
  });

  it('works the same facts out from the view of an incident stored before facts were kept', () => {
    for (const doc of storedDocuments(raw))
      expect(storedReportFacts({ view: doc.view, resolvedAt: doc.resolvedAt })).toEqual(
        JSON.parse(doc.reportFacts),
      );
  });

  it('has no rates and no durations over a period without incidents', () => {
    const report = incidentReport(stored, { since: start - 2 * MIN, until: start - MIN });
    expect(report.incidents.total).toBe(0);
    expect(report.alerts).toEqual({ total: 0, perIncident: null, noiseReduction: null });
    expect(report.mttr).toEqual({ count: 0, meanMs: null, medianMs: null, p90Ms: null });
    expect(report.autoHeal.rate).toBeNull();
  });
});

describe('reportTime', () => {
  const now = Date.UTC(2026, 11, 2, 12);

  it('reads a while ago and ISO times with an offset', () => {
    expect(reportTime('7d', now)).toBe(now - 7 * 24 * 60 * MIN);
    expect(reportTime('15m', now)).toBe(now - 15 * MIN);
    expect(reportTime('2026-12-01T10:00:00+01:00', now)).toBe(Date.UTC(2026, 11, 1, 9));
  });

  it('refuses what is neither', () => {
    for (const text of ['yesterday', '7w', '2026-12-01', '2026-13-01T10:00:00Z', ''])
      expect(reportTime(text, now)).toBeUndefined();
  });
});

describe('renderReportText', () => {
  it('prints the figures the report holds', () => {
    const stored = storedIncidents(rawEvents());
    const report = incidentReport(stored, { since: start, until: start + 10 * 24 * 60 * MIN });
    const text = renderReportText(report);
    expect(text).toContain('incidents    40 (critical 14, warning 26), 36 resolved');
    expect(text).toContain('alerts       100, 2.5 per incident, noise reduction 60.0%');
    expect(text).toContain('MTTA         21m mean');
    expect(text).toContain('auto-heal    9 of 36 resolved (25.0%)');
    expect(text).toMatch(/HighErrorRate on catalog\s+14/);
  });
});
