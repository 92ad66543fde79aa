import type {
  IncidentAction,
  IncidentEvent,
  RcaResult,
  RemediationExecution,
  RemediationPlan,
} from '@vigil/contracts';
import {
  actionRecord,
  decisionRecord,
  executionRecord,
  foldIncidentHistory,
  incidentRecord,
  planRecord,
  rcaRecord,
  type HistoryRecord,
} from './incident-history';
import type { IncidentView } from './incident-view.types';
import { approval } from './testing/decision-fixtures';

const t = (s: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, s)).toISOString();

function incidentEvent(
  n: number,
  type: 'opened' | 'alert-attached' | 'resolved',
  extra: Partial<IncidentEvent['incident']> = {},
): IncidentEvent {
  const incident = {
    title: 'checkout errors',
    severity: 'critical' as const,
    status: type === 'resolved' ? ('resolved' as const) : ('open' as const),
    services: ['checkout'],
    alertCount: n,
    openedAt: t(0),
    updatedAt: t(n * 10),
    ...extra,
  };
  const base = {
    schemaVersion: 1 as const,
    eventId: `i1:${n}`,
    incidentId: 'i1',
    at: t(n * 10),
    incident,
  };
  if (type === 'resolved') return { ...base, type };
  return {
    ...base,
    type,
    fingerprint: `f${n}`,
    reason: n === 1 ? { kind: 'first-alert' } : { kind: 'same-fingerprint' },
    alert: {
      alertname: n === 1 ? 'HighErrorRate' : 'PaymentTimeouts',
      service: n === 1 ? 'checkout' : 'payment',
      severity: 'critical',
      summary: `summary ${n}`,
      startsAt: t(n * 10),
    },
  };
}

const rca: RcaResult = {
  schemaVersion: 1,
  incidentId: 'i1',
  revision: 1,
  generatedAt: t(12),
  method: 'test',
  candidates: [
    {
      service: 'payment',
      rank: 1,
      score: 0.9,
      path: ['payment', 'checkout'],
      evidence: { metrics: [], logTemplates: [], alerts: [] },
    },
  ],
};

const plan: RemediationPlan = {
  schemaVersion: 1,
  planId: 'p1',
  incidentId: 'i1',
  createdAt: t(14),
  faultClass: 'crash',
  summary: 'restart payment',
  steps: [{ stepId: 's1', action: 'restart', target: 'payment', params: {}, verification: [] }],
  provenance: { model: 'gemma', promptHash: 'abc', fallbackUsed: false },
};

const decision = approval(t(16));

const completed: RemediationExecution = {
  schemaVersion: 1,
  eventId: 'x1',
  planId: 'p1',
  incidentId: 'i1',
  type: 'plan-completed',
  at: t(18),
  detail: {},
};

const ack: IncidentAction = {
  schemaVersion: 1,
  actionId: 'a1',
  incidentId: 'i1',
  action: 'acknowledge',
  by: { user: 'bob', role: 'responder' },
  via: 'slack',
  at: t(13),
};

function allRecords(): HistoryRecord[] {
  return [
    incidentRecord(incidentEvent(1, 'opened')),
    incidentRecord(incidentEvent(2, 'alert-attached', { services: ['checkout', 'payment'] })),
    rcaRecord(rca),
    planRecord(plan),
    decisionRecord(decision),
    executionRecord(completed),
    actionRecord(ack),
    incidentRecord(
      incidentEvent(3, 'resolved', { services: ['checkout', 'payment'], alertCount: 2 }),
    ),
  ];
}

const viewOf = (records: HistoryRecord[]) =>
  JSON.parse(foldIncidentHistory('i1', records)?.view ?? 'null') as IncidentView | null;

describe('incident history records', () => {
  it('gives a redelivered event the same key, and each rca revision its own', () => {
    expect(incidentRecord(incidentEvent(1, 'opened')).key).toBe(
      incidentRecord(incidentEvent(1, 'opened')).key,
    );
    expect(rcaRecord(rca).key).not.toBe(rcaRecord({ ...rca, revision: 2 }).key);
  });

  it('files a decision under its plan only: the store finds the incident through the plan', () => {
    const record = decisionRecord(decision);
    expect(record).toMatchObject({ kind: 'decision', planId: 'p1', at: t(16) });
    expect(record.incidentId).toBeUndefined();
  });
});

describe('foldIncidentHistory', () => {
  it('folds an incident with its alerts, root cause, plan, decision and people into one document', () => {
    const doc = foldIncidentHistory('i1', allRecords());
    expect(doc).toMatchObject({
      id: 'i1',
      title: 'checkout errors',
      severity: 'critical',
      status: 'resolved',
      services: ['checkout', 'payment'],
      openedAt: t(0),
      resolvedAt: t(30),
      fingerprints: ['f1', 'f2'],
      rootCause: 'payment',
      planState: 'completed',
    });
    expect(doc?.alertText).toContain('PaymentTimeouts summary 2');
    const view = viewOf(allRecords());
    expect(view?.acknowledgedBy).toEqual({ user: 'bob', at: t(13) });
    expect(view?.plans[0]?.decisions.map((d) => d.decisionId)).toEqual(['d1']);
  });

  it('reads the same whatever order the events were stored in: an older event never overwrites a newer one', () => {
    const inOrder = foldIncidentHistory('i1', allRecords());
    const reversed = foldIncidentHistory('i1', allRecords().reverse());
    expect(reversed).toEqual(inOrder);
    expect(reversed?.status).toBe('resolved');
  });

  it('counts a replayed event once', () => {
    const once = foldIncidentHistory('i1', allRecords());
    expect(foldIncidentHistory('i1', [...allRecords(), ...allRecords()])).toEqual(once);
  });

  it('has nothing to index while only the root cause and people are known, and everything once the incident arrives', () => {
    const early = [rcaRecord(rca), actionRecord(ack)];
    expect(foldIncidentHistory('i1', early)).toBeUndefined();
    const doc = foldIncidentHistory('i1', [...early, incidentRecord(incidentEvent(1, 'opened'))]);
    expect(doc).toMatchObject({ status: 'acknowledged', rootCause: 'payment' });
  });

  it('takes the resolve time from the person who resolved it', () => {
    const resolve: IncidentAction = { ...ack, actionId: 'a2', action: 'resolve', at: t(25) };
    const doc = foldIncidentHistory('i1', [
      incidentRecord(incidentEvent(1, 'opened')),
      actionRecord(resolve),
    ]);
    expect(doc).toMatchObject({ status: 'resolved', resolvedAt: t(25) });
  });
});
