// The incident history bench:history stores: incidents spread over months, each with the events
// the topics would have carried (alerts, a root cause, a plan and its audit, people's actions,
// the resolve), from a seeded generator so every run stores the same history.
import type {
  IncidentAction,
  IncidentEvent,
  RcaResult,
  RemediationDecision,
  RemediationExecution,
  RemediationPlan,
} from '@vigil/contracts';
import {
  actionRecord,
  decisionRecord,
  executionRecord,
  type HistoryRecord,
  incidentRecord,
  planRecord,
  rcaRecord,
} from '@vigil/incident-view';
import { acknowledgement, approval } from '@vigil/incident-view/testing';

const MIN = 60_000;
export const SERVICES = Array.from({ length: 60 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
export const ALERTNAMES = [
  'HighErrorRate',
  'HighLatency',
  'PodRestarts',
  'ConnectionPoolExhausted',
  'DiskAlmostFull',
  'CertificateExpiring',
  'QueueBacklog',
  'CacheMissStorm',
  'DeploymentFailed',
  'MemoryPressure',
];
const SUMMARIES = [
  'timeouts calling the database',
  'connection pool exhausted under load',
  '5xx above five percent',
  'latency p99 above two seconds',
  'restarts after out of memory',
];

/** A deterministic xorshift generator: the same history every run. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** One generated incident: its records, and what the raw events say, for checking the report. */
export interface GeneratedIncident {
  id: string;
  records: HistoryRecord[];
  truth: {
    openedMs: number;
    alerts: number;
    ackMs?: number;
    resolvedMs?: number;
    healed: boolean;
    plan?: { provenance: string; completed: boolean };
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const pick = <T>(items: readonly T[], random: () => number): T =>
  items[Math.floor(random() * items.length)] as T;

/**
 * Incident `n` of `count`, opened in the `spanMs` before `endMs` (evenly, a little jitter); the
 * newest `open` are still open. About ten events each.
 */
export interface CorpusOptions {
  endMs: number;
  spanMs: number;
  /** The last this many incidents are still open. */
  open: number;
  seed: number;
  /** Alerts per incident reach up to this many (mean about a third of it); 8 when absent. */
  maxAlerts?: number;
}

export function generateIncident(
  n: number,
  count: number,
  options: CorpusOptions,
): GeneratedIncident {
  const random = prng(options.seed * 1_000_003 + n);
  const id = `hist-${String(n).padStart(7, '0')}`;
  const openedMs = Math.round(
    options.endMs - options.spanMs + ((n + random() * 0.5) / count) * options.spanMs,
  );
  const service = pick(SERVICES, random);
  const alertname = pick(ALERTNAMES, random);
  // heavy-tailed: most incidents hold a few alerts, storms hold up to maxAlerts
  const alerts = 1 + Math.floor(random() ** 2 * (options.maxAlerts ?? 8));
  const severity = random() < 0.2 ? ('critical' as const) : ('warning' as const);
  const isOpen = n >= count - options.open;
  // after its last alert (one every 30 s): an alert after the resolve would reopen the incident,
  // as the correlator does, and the history would no longer say what the truth below says
  const lastAlertMs = openedMs + (alerts - 1) * 30_000;
  const resolvedMs = isOpen
    ? undefined
    : lastAlertMs + Math.round((5 + random() ** 2 * 355) * MIN);
  const ackMs = random() < 0.5 ? openedMs + Math.round((1 + random() * 29) * MIN) : undefined;
  const summary = (k: number, at: number, status: 'open' | 'resolved' = 'open') => ({
    title: `${alertname} on ${service}`,
    severity,
    status,
    services: [service],
    alertCount: k,
    openedAt: iso(openedMs),
    updatedAt: iso(at),
  });
  const records: HistoryRecord[] = [];
  for (let a = 0; a < alerts; a++) {
    const at = openedMs + a * 30_000;
    records.push(
      incidentRecord(alertEvent(id, a, at, summary(a + 1, at), random, alertname, service)),
    );
  }
  records.push(rcaRecord(rcaOf(id, service, openedMs + 20_000)));
  const plan = random() < 0.7 ? planOf(id, service, openedMs, random) : undefined;
  if (plan) records.push(...plan.records);
  if (ackMs !== undefined) records.push(actionRecord(ack(id, ackMs)));
  if (resolvedMs !== undefined) {
    const resolved: IncidentEvent = {
      schemaVersion: 1,
      eventId: `${id}:end`,
      incidentId: id,
      at: iso(resolvedMs),
      type: 'resolved',
      incident: summary(alerts, resolvedMs, 'resolved'),
    };
    records.push(incidentRecord(resolved));
  }
  const healed = resolvedMs !== undefined && !!plan?.completed && !plan.approved;
  return {
    id,
    records,
    truth: {
      openedMs,
      alerts,
      ...(ackMs !== undefined && { ackMs }),
      ...(resolvedMs !== undefined && { resolvedMs }),
      healed,
      ...(plan && { plan: { provenance: plan.provenance, completed: plan.completed } }),
    },
  };
}

function alertEvent(
  id: string,
  a: number,
  at: number,
  incident: IncidentEvent['incident'],
  random: () => number,
  alertname: string,
  service: string,
): IncidentEvent {
  return {
    schemaVersion: 1,
    eventId: `${id}:${a}`,
    incidentId: id,
    at: iso(at),
    type: a === 0 ? 'opened' : 'alert-attached',
    fingerprint: `${id}-f${a}`,
    reason: a === 0 ? { kind: 'first-alert' } : { kind: 'same-fingerprint' },
    alert: {
      alertname: a === 0 ? alertname : pick(ALERTNAMES, random),
      service,
      severity: 'warning',
      summary: `${service}: ${pick(SUMMARIES, random)}`,
      startsAt: iso(at),
    },
    incident,
  };
}

function rcaOf(incidentId: string, service: string, at: number): RcaResult {
  return {
    schemaVersion: 1,
    incidentId,
    revision: 0,
    generatedAt: iso(at),
    method: 'bench',
    candidates: [service, 'svc-db', 'svc-cache'].map((s, i) => ({
      service: s,
      rank: i + 1,
      score: 1 / (i + 1),
      path: [s],
      evidence: { metrics: [], logTemplates: [], alerts: [] },
    })),
  };
}

function planOf(incidentId: string, service: string, openedMs: number, random: () => number) {
  const planId = `${incidentId}-p1`;
  const fallbackUsed = random() < 0.4;
  const plan: RemediationPlan = {
    schemaVersion: 1,
    planId,
    incidentId,
    createdAt: iso(openedMs + 40_000),
    faultClass: 'crash',
    summary: `restart ${service}`,
    steps: [{ stepId: 's1', action: 'restart', target: service, params: {}, verification: [] }],
    provenance: { model: 'gemma-3-270m', promptHash: 'bench', fallbackUsed },
  };
  const approved = random() < 0.3;
  const completed = random() < 0.85;
  const records = [planRecord(plan)];
  let at = openedMs + 60_000;
  if (approved) records.push(decisionRecord(approve(planId, at)));
  const audit = (type: RemediationExecution['type'], stepId?: string) =>
    records.push(
      executionRecord({
        schemaVersion: 1,
        eventId: `${planId}-${type}`,
        planId,
        incidentId,
        type,
        ...(stepId && { stepId }),
        at: iso((at += 5_000)),
        detail: {},
      }),
    );
  audit('step-started', 's1');
  audit(completed ? 'step-succeeded' : 'step-failed', 's1');
  audit(completed ? 'plan-completed' : 'plan-aborted');
  const provenance = fallbackUsed ? 'known-good runbook' : 'drafted by gemma-3-270m';
  return { records, approved, completed, provenance };
}

function approve(planId: string, at: number): RemediationDecision {
  return approval(iso(at), { decisionId: `${planId}-d1`, planId });
}

function ack(incidentId: string, at: number): IncidentAction {
  return acknowledgement(iso(at), { actionId: `${incidentId}-ack`, incidentId });
}
