import type { IncidentEvent, RcaResult, RemediationPlan } from '@vigil/contracts';
import { IncidentFoldCache } from './incident-fold-cache';
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
import { approval } from './testing/decision-fixtures';

const t = (s: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, 0) + s * 1000).toISOString();

function incidentEvent(id: string, n: number, type: IncidentEvent['type']): IncidentEvent {
  const base = {
    schemaVersion: 1 as const,
    eventId: `${id}:${n}`,
    incidentId: id,
    at: t(n),
    incident: {
      title: 'checkout errors',
      severity: 'critical' as const,
      status: type === 'resolved' ? ('resolved' as const) : ('open' as const),
      services: n > 3 ? ['checkout', 'payment'] : ['checkout'],
      alertCount: n,
      openedAt: t(0),
      updatedAt: t(n),
    },
  };
  if (type === 'resolved') return { ...base, type, reason: 'resolved' } as IncidentEvent;
  return {
    ...base,
    type: type as 'opened',
    fingerprint: `f${n}`,
    reason: n === 0 ? { kind: 'first-alert' } : { kind: 'same-fingerprint' },
    alert: {
      alertname: n % 2 ? 'HighErrorRate' : 'PaymentTimeouts',
      service: n % 2 ? 'checkout' : 'payment',
      severity: 'critical',
      summary: `summary ${n}`,
      startsAt: t(n),
    },
  };
}

function rca(id: string, revision: number, at: number, lead: string): RcaResult {
  return {
    schemaVersion: 1,
    incidentId: id,
    revision,
    generatedAt: t(at),
    method: 'test',
    candidates: [
      {
        service: lead,
        rank: 1,
        score: 0.5 + revision / 100,
        path: [lead],
        evidence: { metrics: [], logTemplates: [], alerts: [] },
      },
    ],
  };
}

const plan = (id: string, at: number): RemediationPlan => ({
  schemaVersion: 1,
  planId: `p-${id}`,
  incidentId: id,
  createdAt: t(at),
  faultClass: 'crash',
  summary: 'restart payment',
  steps: [{ stepId: 's1', action: 'restart', target: 'payment', params: {}, verification: [] }],
  provenance: { model: 'gemma', promptHash: 'abc', fallbackUsed: false },
});

/** A storm's incident in the order its events arrive: alerts, root-cause revisions, a plan. */
function story(id = 'i1', alerts = 40): HistoryRecord[] {
  const records: HistoryRecord[] = [incidentRecord(incidentEvent(id, 0, 'opened'))];
  for (let n = 1; n <= alerts; n++) {
    records.push(incidentRecord(incidentEvent(id, n, 'alert-attached')));
    if (n % 5 === 0) records.push(rcaRecord(rca(id, n / 5, n, n < 20 ? 'checkout' : 'payment')));
  }
  const p = plan(id, alerts + 1);
  records.push(
    planRecord(p),
    decisionRecord({ ...approval(t(alerts + 2)), planId: p.planId }),
    actionRecord({
      schemaVersion: 1,
      actionId: `a-${id}`,
      incidentId: id,
      action: 'acknowledge',
      by: { user: 'bob', role: 'responder' },
      via: 'slack',
      at: t(alerts + 3),
    }),
    executionRecord({
      schemaVersion: 1,
      eventId: `x-${id}`,
      planId: p.planId,
      incidentId: id,
      type: 'plan-completed',
      at: t(alerts + 4),
      detail: {},
    }),
    incidentRecord(incidentEvent(id, alerts + 5, 'resolved')),
  );
  return records;
}

/** Stores the records one by one as the topology-sync does: the kept fold, else all of them. */
function storeOneByOne(cache: IncidentFoldCache, records: readonly HistoryRecord[]) {
  const stored: HistoryRecord[] = [];
  let fullFolds = 0;
  let last;
  for (const record of records) {
    stored.push(record);
    const step = cache.mayAdvance('i1', record)
      ? cache.advance('i1', record, stored.length)
      : undefined;
    if (step === 'unchanged') continue;
    if (step) last = step;
    else {
      fullFolds++;
      last = cache.fold('i1', stored);
    }
  }
  return { last, fullFolds };
}

describe('the incident store keeps each open incident folded between its events', () => {
  it('folds a long incident one event at a time exactly as a replay of all its events', () => {
    const records = story();
    const cache = new IncidentFoldCache();
    const stored: HistoryRecord[] = [];
    for (const record of records) {
      stored.push(record);
      const step = cache.advance('i1', record, stored.length) ?? cache.fold('i1', stored);
      expect(step).toEqual(foldIncidentHistory('i1', stored));
    }
  });

  it('reads every event only for the first fold of a long incident, not for each new one', () => {
    const records = story('i1', 200);
    const { last, fullFolds } = storeOneByOne(new IncidentFoldCache(), records);
    expect(fullFolds).toBe(1);
    expect(last).toEqual(foldIncidentHistory('i1', records));
    expect(JSON.parse(last?.view ?? '{}')).toMatchObject({ status: 'resolved', alertCount: 205 });
  });

  it('folds everything again when an event comes earlier than one already folded', () => {
    const records = story();
    const late = records.splice(3, 1); // an rca revision that arrives after later alerts
    const cache = new IncidentFoldCache();
    const stored = records.slice(0, 10);
    cache.fold('i1', stored);
    stored.push(...late);
    expect(cache.mayAdvance('i1', late[0] as HistoryRecord)).toBe(false);
    expect(cache.advance('i1', late[0] as HistoryRecord, stored.length)).toBeUndefined();
    expect(cache.fold('i1', stored)).toEqual(foldIncidentHistory('i1', stored));
  });

  it('folds everything again when the store holds an event it has not folded (another writer)', () => {
    const records = story();
    const cache = new IncidentFoldCache();
    cache.fold('i1', records.slice(0, 5));
    // the store holds records[5], written by another instance, and this one brings records[6]
    expect(cache.mayAdvance('i1', records[6] as HistoryRecord)).toBe(true);
    expect(cache.advance('i1', records[6] as HistoryRecord, 7)).toBeUndefined();
    expect(cache.mayAdvance('i1', records[7] as HistoryRecord)).toBe(false);
  });

  it('answers a redelivered event with "unchanged" when the store holds nothing new', () => {
    const records = story();
    const cache = new IncidentFoldCache();
    cache.fold('i1', records.slice(0, 5));
    expect(cache.advance('i1', records[4] as HistoryRecord, 5)).toBe('unchanged');
    expect(cache.advance('i1', records[4] as HistoryRecord, 6)).toBeUndefined();
  });

  it('forgets a fold whose save failed, so the retry folds everything', () => {
    const records = story();
    const cache = new IncidentFoldCache();
    cache.fold('i1', records.slice(0, 5));
    cache.forget('i1');
    expect(cache.advance('i1', records[5] as HistoryRecord, 6)).toBeUndefined();
  });

  it('keeps open incidents only, and at most as many as it is given', () => {
    const cache = new IncidentFoldCache(3);
    for (const id of ['a', 'b', 'c', 'd']) cache.fold(id, story(id, 3).slice(0, 3));
    expect(cache.size).toBe(3);
    expect(cache.advance('a', story('a', 3)[3] as HistoryRecord, 4)).toBeUndefined();
    const resolved = story('e', 3);
    cache.fold('e', resolved);
    expect(cache.advance('e', resolved.at(-1) as HistoryRecord, resolved.length)).toBeUndefined();
  });
});
