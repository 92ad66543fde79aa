import type { Alert, IncidentEvent, IncidentFeedback } from '@vigil/contracts';
import { correlationConfig } from './correlation-config';
import { decodeCorrelatorState, encodeCorrelatorState } from './correlator-snapshot';
import { FeedbackMemory } from './feedback-memory';
import { IncidentCorrelator } from './incident-correlator';
import { ServiceGraph } from './service-graph';
import { firingAlert, unitVector } from './testing/alert-fixtures';

// One axis per meaning, so similarity is known without a model.
const meaning = { disk: 0, errors: 1, cpu: 2 } as const;
const vector = (kind: keyof typeof meaning) => unitVector(4, meaning[kind]);

const graph = new ServiceGraph(
  {
    services: ['payment', 'payment-db', 'ads'],
    edges: [
      { from: 'payment', to: 'payment-db', type: 'DEPENDS_ON' },
      { from: 'payment', to: 'node-1', type: 'RUNS_ON' },
    ],
  },
  2,
);
const prototypes = { symptoms: [vector('errors')], localConditions: [vector('disk')] };

const t0 = Date.parse('2026-11-27T10:00:00Z');
const at = (minute: number) => new Date(t0 + minute * 60_000).toISOString();

/** `instance` makes another fingerprint of the same kind (alertname on service). */
function alert(name: string, service: string, minute: number, instance = 'a'): Alert {
  return firingAlert({ alertname: name, service, instance }, at(minute));
}

function place(c: IncidentCorrelator, a: Alert, kind: keyof typeof meaning) {
  return c.process(a, c.needsEmbedding(a) ? vector(kind) : undefined);
}

const seen = (a: Alert, incidentId: string) => ({
  fingerprint: a.fingerprint,
  alertname: a.alertname,
  service: a.service,
  incidentId,
});
const by = { user: 'ann', role: 'responder' as const };

function setUp() {
  const memory = new FeedbackMemory();
  const c = new IncidentCorrelator(correlationConfig(), graph, prototypes);
  c.useFeedback(memory);
  return { memory, c };
}

describe('IncidentCorrelator with people feedback', () => {
  it('merges two incidents people merged, and later joins alerts of the same kinds on its own', () => {
    const { memory, c } = setUp();
    const disk = alert('DiskFull', 'payment-db', 0);
    const cpu = alert('HighCpu', 'ads', 1);
    const a = place(c, disk, 'disk').incidentId;
    const b = place(c, cpu, 'cpu').incidentId;
    expect(b).not.toBe(a);

    const feedback: IncidentFeedback = {
      schemaVersion: 1,
      feedbackId: 'fb-merge',
      type: 'merge',
      incidentId: a,
      mergedIncidentIds: [b],
      by,
      via: 'console',
      at: at(2),
      alerts: [seen(disk, a), seen(cpu, b)],
    };
    memory.learn(feedback);
    const events = c.mergeByPeople(a, b);
    expect(events).toMatchObject([{ type: 'merged', incidentId: a, mergedIncidentId: b }]);
    expect(c.canonicalIncident(b)).toBe(a);
    // applied twice (a restart re-reads the topic): nothing more happens
    expect(c.mergeByPeople(a, b)).toEqual([]);

    // days later, other instances of the same two rules
    const later = place(c, alert('DiskFull', 'payment-db', 3000, 'b'), 'disk');
    const joined = place(c, alert('HighCpu', 'ads', 3001, 'b'), 'cpu');
    expect(joined.incidentId).toBe(later.incidentId);
    expect(joined.events[0]).toMatchObject({
      type: 'alert-attached',
      reason: {
        kind: 'learned-from-people',
        kinds: ['HighCpu@ads', 'DiskFull@payment-db'],
        feedbackId: 'fb-merge',
      },
    });
  });

  it('without feedback keeps those kinds apart (the rules see no relation)', () => {
    const c = new IncidentCorrelator(correlationConfig(), graph, prototypes);
    const first = place(c, alert('DiskFull', 'payment-db', 3000, 'b'), 'disk');
    const second = place(c, alert('HighCpu', 'ads', 3001, 'b'), 'cpu');
    expect(second.incidentId).not.toBe(first.incidentId);
  });

  it('splits chosen alerts into a new incident, and later keeps alerts of those kinds apart', () => {
    const { memory, c } = setUp();
    const disk = alert('DiskFull', 'payment-db', 0);
    const errors = alert('HighErrorRate', 'payment', 1);
    const a = place(c, disk, 'disk').incidentId;
    expect(place(c, errors, 'errors').incidentId).toBe(a);

    const feedback: IncidentFeedback = {
      schemaVersion: 1,
      feedbackId: 'fb-split',
      type: 'split',
      incidentId: a,
      fingerprints: [errors.fingerprint],
      newIncidentId: 'inc-people-1',
      by,
      via: 'console',
      at: at(2),
      alerts: [seen(disk, a), seen(errors, a)],
    };
    memory.learn(feedback);
    const events: IncidentEvent[] = c.splitByPeople({
      ...feedback,
      fingerprints: feedback.fingerprints,
    });
    expect(events).toMatchObject([
      {
        type: 'opened',
        incidentId: 'inc-people-1',
        fingerprint: errors.fingerprint,
        reason: { kind: 'split-by-people', fromIncidentId: a, feedbackId: 'fb-split' },
        incident: { title: 'HighErrorRate on payment', services: ['payment'], alertCount: 1 },
      },
    ]);
    expect(c.openIncidents().find((i) => i.id === 'inc-people-1')?.hosts).toEqual(['node-1']);
    // a repeat of the split alert stays in its new incident
    expect(place(c, errors, 'errors').incidentId).toBe('inc-people-1');
    expect(c.openIncidents().find((i) => i.id === a)).toMatchObject({
      fingerprints: [disk.fingerprint],
      services: ['payment-db'],
      firing: 1,
    });
    // applied again: nothing more happens
    expect(c.splitByPeople(feedback)).toEqual([]);

    const later = place(c, alert('DiskFull', 'payment-db', 3000, 'b'), 'disk');
    const apart = place(c, alert('HighErrorRate', 'payment', 3001, 'b'), 'errors');
    expect(apart.incidentId).not.toBe(later.incidentId);
  });

  it('refuses a split that would move every alert or none', () => {
    const { c } = setUp();
    const disk = alert('DiskFull', 'payment-db', 0);
    const a = place(c, disk, 'disk').incidentId;
    const split = {
      incidentId: a,
      newIncidentId: 'inc-people-2',
      feedbackId: 'fb-x',
      alerts: [seen(disk, a)],
    };
    expect(c.splitByPeople({ ...split, fingerprints: [disk.fingerprint] })).toEqual([]);
    expect(c.splitByPeople({ ...split, fingerprints: ['unknown'] })).toEqual([]);
  });

  it('splits the one alert it still tracks out of an incident that forgot the rest, which stay counted there', () => {
    const c = new IncidentCorrelator(
      correlationConfig({ retentionMs: 30 * 60_000 }),
      graph,
      prototypes,
    );
    const disk = alert('DiskFull', 'payment-db', 0);
    const errors = alert('HighErrorRate', 'payment', 1);
    const a = place(c, disk, 'disk').incidentId;
    expect(place(c, errors, 'errors').incidentId).toBe(a);
    c.process({ ...errors, status: 'resolved', receivedAt: at(2) });
    // the disk stays full for an hour: the errors ended long ago and are forgotten
    for (let m = 4; m <= 60; m += 4) place(c, alert('DiskFull', 'payment-db', m), 'disk');
    expect(c.snapshot().alerts.map((t) => t.fingerprint)).toEqual([disk.fingerprint]);

    const events = c.splitByPeople({
      incidentId: a,
      newIncidentId: 'inc-people-3',
      fingerprints: [disk.fingerprint],
      feedbackId: 'fb-forgotten',
      alerts: [seen(disk, a), seen(errors, a)],
    });
    expect(events).toMatchObject([
      { type: 'opened', incidentId: 'inc-people-3', incident: { alertCount: 1 } },
      { type: 'resolved', incidentId: a, incident: { alertCount: 1 } },
    ]);
  });

  it('keeps the kinds it learned an incident holds across a snapshot', () => {
    const { memory, c } = setUp();
    place(c, alert('DiskFull', 'payment-db', 0), 'disk');
    const restored = new IncidentCorrelator(
      correlationConfig(),
      graph,
      prototypes,
      decodeCorrelatorState(encodeCorrelatorState(c.snapshot())),
    );
    expect(restored.openIncidents()[0]?.kinds).toEqual(['DiskFull@payment-db']);
    restored.useFeedback(memory);
  });
});
