import {
  incidentEventSchema,
  type Alert,
  type IncidentEvent,
  type TopologyGraph,
} from '@vigil/contracts';
import { correlationConfig, type CorrelationConfig } from './correlation-config';
import { decodeCorrelatorState, encodeCorrelatorState } from './correlator-snapshot';
import { IncidentCorrelator } from './incident-correlator';
import { ServiceGraph } from './service-graph';
import { firingAlert, unitVector } from './testing/alert-fixtures';

// Hand-made "embeddings": one axis per meaning, so similarity is known without a model.
const meaning = { disk: 0, latency: 1, errors: 2, node: 3, cert: 4 } as const;
function vector(kind: keyof typeof meaning, wobble = 0): Float32Array {
  const v = unitVector(8, meaning[kind]);
  v[7] = wobble;
  return v;
}

const topology: TopologyGraph = {
  services: ['frontend', 'checkout', 'payment', 'payment-db', 'search', 'ads'],
  edges: [
    { from: 'frontend', to: 'checkout', type: 'CALLS' },
    { from: 'checkout', to: 'payment', type: 'CALLS' },
    { from: 'payment', to: 'payment-db', type: 'DEPENDS_ON' },
    { from: 'search', to: 'ads', type: 'CALLS' },
    { from: 'payment', to: 'node-1', type: 'RUNS_ON' },
    { from: 'search', to: 'node-1', type: 'RUNS_ON' },
    { from: 'ads', to: 'node-2', type: 'RUNS_ON' },
  ],
};

const t0 = Date.parse('2026-11-27T10:00:00Z');
const at = (minute: number) => new Date(t0 + minute * 60_000).toISOString();
function alert(
  name: string,
  service: string,
  minute: number,
  extra: Partial<Alert> = {},
  labels: Record<string, string> = {},
): Alert {
  return firingAlert({ alertname: name, service, cluster: 'prod', ...labels }, at(minute), extra);
}

/** A text between two meanings: cosine `share` with the first. */
function between(first: keyof typeof meaning, second: keyof typeof meaning, share: number) {
  const v = vector(first).map((x) => x * share);
  v[meaning[second]] = Math.sqrt(1 - share * share);
  return v;
}

type Step = [Alert, keyof typeof meaning | Float32Array];

function run(correlator: IncidentCorrelator, steps: Step[]) {
  const events: IncidentEvent[] = [];
  const incidents = steps.map(([a, kind]) => {
    const v = typeof kind === 'string' ? vector(kind) : kind;
    const outcome = correlator.process(a, correlator.needsEmbedding(a) ? v : undefined);
    events.push(...outcome.events);
    return outcome.incidentId;
  });
  return { events, incidents: incidents.map((id) => (id ? correlator.canonicalIncident(id) : id)) };
}

// Errors and latency are what travels along the call graph.
const prototypes = {
  symptoms: [vector('errors'), vector('latency')],
  localConditions: [vector('disk'), vector('cert')],
};

const newCorrelator = (config: Partial<CorrelationConfig> = {}) =>
  new IncidentCorrelator(correlationConfig(config), new ServiceGraph(topology, 2), prototypes);

describe('IncidentCorrelator', () => {
  it('opens incidents the incident contract takes from summaries as long or as blank as alerts allow', () => {
    const { events } = run(newCorrelator(), [
      [alert('DiskFull', 'payment', 0, { summary: 'disk '.repeat(400) }), 'disk'],
      [alert('CertExpiry', 'ads', 1, { summary: '' }), 'cert'],
    ]);
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const event of events) expect(incidentEventSchema.safeParse(event).success).toBe(true);
  });

  it('deduplicates repeats of one fingerprint into one incident without new events', () => {
    const c = newCorrelator();
    const repeats = [0, 1, 2, 3].map(
      (m) => [alert('DiskFull', 'payment-db', m), 'disk'] as [Alert, 'disk'],
    );
    const { events, incidents } = run(c, repeats);
    expect(new Set(incidents).size).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['opened']);
    expect(c.openIncidents()[0]).toMatchObject({
      occurrences: 4,
      fingerprints: [repeats[0][0].fingerprint],
    });
  });

  it('joins a failing dependency and the symptoms of its callers, and says why', () => {
    const { events, incidents } = run(newCorrelator(), [
      [alert('DiskFull', 'payment-db', 0), 'disk'],
      [alert('HighErrorRate', 'payment', 1), 'errors'],
      [alert('HighLatency', 'checkout', 2), 'latency'],
    ]);
    expect(new Set(incidents).size).toBe(1);
    const reasons = events
      .filter((e) => e.type === 'alert-attached')
      .map((e) => ('reason' in e ? e.reason : undefined));
    expect(reasons).toEqual([
      { kind: 'topology-neighbour', hops: 1, via: ['payment', 'payment-db'] },
      { kind: 'topology-neighbour', hops: 1, via: ['checkout', 'payment'] },
    ]);
  });

  it('keeps the same kind of alert on unrelated services apart', () => {
    const { incidents } = run(newCorrelator(), [
      [alert('DiskFull', 'payment-db', 0), 'disk'],
      [alert('DiskFull', 'ads', 1), 'disk'],
    ]);
    expect(new Set(incidents).size).toBe(2);
  });

  it("keeps a caller's unrelated trouble out of an incident", () => {
    // frontend calls checkout, which calls payment: two hops, and a certificate is no symptom.
    const { incidents } = run(newCorrelator(), [
      [alert('HighErrorRate', 'payment', 0), 'errors'],
      [alert('CertExpiring', 'frontend', 1), 'cert'],
    ]);
    expect(new Set(incidents).size).toBe(2);
  });

  it('joins the same symptom on unrelated services at the same time, by text (a shared cause)', () => {
    const { events, incidents } = run(newCorrelator(), [
      [alert('DnsLookupFailed', 'payment', 0), 'errors'],
      [alert('DnsLookupFailed', 'ads', 1), 'errors'],
    ]);
    expect(new Set(incidents).size).toBe(1);
    expect(events[1]).toMatchObject({
      type: 'alert-attached',
      reason: { kind: 'similar-text', score: 1 },
    });
  });

  it('does not reopen a resolved incident for the same symptom on an unrelated service: new trouble', () => {
    const { events, incidents } = run(newCorrelator(), [
      [alert('DnsLookupFailed', 'payment', 0), 'errors'],
      [{ ...alert('DnsLookupFailed', 'payment', 1), status: 'resolved' as const }, 'errors'],
      [alert('DnsLookupFailed', 'ads', 2), 'errors'],
    ]);
    expect(new Set(incidents).size).toBe(2);
    expect(events.map((e) => e.type)).toEqual(['opened', 'resolved', 'opened']);
  });

  it('never joins alerts of different clusters', () => {
    const { incidents } = run(newCorrelator(), [
      [alert('HighErrorRate', 'payment', 0), 'errors'],
      [alert('HighErrorRate', 'payment', 0, {}, { cluster: 'staging' }), 'errors'],
    ]);
    expect(new Set(incidents).size).toBe(2);
  });

  it('puts everything on a failed node together with the node alert', () => {
    const { incidents } = run(newCorrelator(), [
      [alert('NodeDown', 'node-exporter', 0, {}, { node: 'node-1' }), 'node'],
      [alert('HighErrorRate', 'payment', 1), 'errors'],
      [alert('HighLatency', 'search', 1), 'latency'],
    ]);
    expect(new Set(incidents).size).toBe(1);
  });

  it("does not let a host's local condition pull in the troubles of what runs on it", () => {
    const { incidents } = run(newCorrelator(), [
      [alert('NodeDiskFilling', 'node-exporter', 0, {}, { node: 'node-1' }), 'disk'],
      [alert('HighErrorRate', 'payment', 1), 'errors'],
    ]);
    expect(new Set(incidents).size).toBe(2);
  });

  it('joins a slow precursor and the failure it turns into, on the same service, hours apart', () => {
    const { incidents } = run(newCorrelator(), [
      [alert('DiskFillingUp', 'payment-db', 0), 'disk'],
      // "no space left on device": about the disk, in other words, two hours later
      [alert('NoSpaceLeft', 'payment-db', 120), between('disk', 'errors', 0.65)],
      // the same service, two hours later, saying something else: a new problem
      [alert('ReplicationBroken', 'payment-db', 121), 'node'],
    ]);
    expect(incidents[1]).toBe(incidents[0]);
    expect(incidents[2]).not.toBe(incidents[0]);
  });

  it('joins the callers of a precursor that has just turned acute, not those of its quiet days', () => {
    const days = 3 * 24 * 60;
    const { incidents } = run(newCorrelator(), [
      [alert('CertExpiringSoon', 'payment', 0, { startsAt: at(-days) }), 'cert'],
      [alert('CertExpired', 'payment', 100), between('cert', 'errors', 0.8)],
      [alert('HighErrorRate', 'checkout', 101), 'errors'],
    ]);
    expect(new Set(incidents).size).toBe(1);
    const quiet = run(newCorrelator(), [
      [alert('CertExpiringSoon', 'payment', 0, { startsAt: at(-days) }), 'cert'],
      [alert('HighErrorRate', 'checkout', 101), 'errors'],
    ]);
    expect(new Set(quiet.incidents).size).toBe(2);
  });

  it('keeps a flapping alert in one incident, resolves it when all alerts resolve, and reopens it', () => {
    const firing = alert('CPUThrottling', 'search', 0);
    const resolved = (m: number) => ({
      ...alert('CPUThrottling', 'search', m),
      status: 'resolved' as const,
    });
    const { events, incidents } = run(newCorrelator(), [
      [firing, 'latency'],
      [resolved(2), 'latency'],
      [alert('CPUThrottling', 'search', 4), 'latency'],
      [resolved(6), 'latency'],
    ]);
    expect(new Set(incidents).size).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['opened', 'resolved', 'alert-attached', 'resolved']);
  });

  it('opens a new incident for an alert back long after its incident resolved: a recurrence, not a flap', () => {
    const resolved = (m: number) => ({
      ...alert('CPUThrottling', 'search', m),
      status: 'resolved' as const,
    });
    const { events, incidents } = run(newCorrelator(), [
      [alert('CPUThrottling', 'search', 0), 'latency'],
      [resolved(2), 'latency'],
      [alert('CPUThrottling', 'search', 10), 'latency'],
    ]);
    expect(new Set(incidents).size).toBe(2);
    expect(events.map((e) => e.type)).toEqual(['opened', 'resolved', 'opened']);
  });

  it('gives a shared symptom that fires again to the fault happening now, not to the last one', () => {
    const frontendErrors = (m: number) => alert('HighErrorRatio', 'frontend', m);
    const { incidents } = run(newCorrelator(), [
      // a first fault: checkout slow, frontend errors with it; both resolve
      [alert('HighLatency', 'checkout', 0), 'latency'],
      [frontendErrors(0), 'errors'],
      [{ ...alert('HighLatency', 'checkout', 3), status: 'resolved' }, 'latency'],
      [{ ...frontendErrors(3), status: 'resolved' }, 'errors'],
      // minutes later payment fails, and the frontend's errors come back because of it
      [alert('HighErrorRate', 'payment', 6), 'errors'],
      [frontendErrors(7), 'errors'],
    ]);
    expect(incidents[5]).toBe(incidents[4]);
    expect(incidents[5]).not.toBe(incidents[0]);
  });

  it('opens a new incident for related services once the start gap has passed', () => {
    const { incidents } = run(newCorrelator(), [
      [alert('HighErrorRate', 'payment', 0), 'errors'],
      [alert('HighLatency', 'checkout', 45), 'latency'],
    ]);
    expect(new Set(incidents).size).toBe(2);
  });

  it('merges two incidents when an alert shows they are one, younger into older', () => {
    // checkout is two hops from payment-db and one from frontend
    const { events, incidents } = run(newCorrelator({ mergeMaxHops: 2 }), [
      [alert('DiskFull', 'payment-db', 0), 'disk'],
      [alert('HighLatency', 'frontend', 1), 'latency'],
      [alert('HighErrorRate', 'checkout', 2), 'errors'],
    ]);
    expect(new Set(incidents).size).toBe(1);
    const merged = events.find((e) => e.type === 'merged');
    expect(merged).toMatchObject({ incidentId: incidents[0] });
  });

  it('continues after a snapshot and restore exactly as if it had never stopped', () => {
    const steps: Step[] = [
      [alert('DiskFull', 'payment-db', 0), 'disk'],
      [alert('HighErrorRate', 'payment', 1), 'errors'],
      [alert('DiskFull', 'ads', 1), 'disk'],
      [alert('HighLatency', 'checkout', 2), 'latency'],
      [{ ...alert('DiskFull', 'payment-db', 3), status: 'resolved' }, 'disk'],
      [alert('CertExpiring', 'search', 4), 'cert'],
      [alert('HighLatency', 'frontend', 5), 'latency'],
    ];
    const whole = run(newCorrelator(), steps);

    const first = newCorrelator();
    const before = run(first, steps.slice(0, 3));
    const stored = JSON.parse(JSON.stringify(encodeCorrelatorState(first.snapshot())));
    const restored = new IncidentCorrelator(
      correlationConfig(),
      new ServiceGraph(topology, 2),
      prototypes,
      decodeCorrelatorState(stored),
    );
    const after = run(restored, steps.slice(3));
    expect([...before.events, ...after.events]).toEqual(whole.events);
  });
  it('forgets the ended alerts of an incident kept open for hours, and still counts them', () => {
    // a disk that stays full keeps the incident open while short alerts come and go beside it
    const steps: Step[] = [];
    for (let m = 0; m < 180; m++) {
      const brief = alert(`DiskLatency${m}`, 'payment-db', m);
      steps.push([alert('DiskFull', 'payment-db', m), 'disk'], [brief, 'disk']);
      steps.push([{ ...brief, status: 'resolved', receivedAt: at(m + 0.5) }, 'disk']);
    }
    const config = { retentionMs: 30 * 60_000 };
    const first = newCorrelator(config);
    const before = run(first, steps.slice(0, 360));
    const stored = JSON.parse(JSON.stringify(encodeCorrelatorState(first.snapshot())));
    const restored = new IncidentCorrelator(
      correlationConfig(config),
      new ServiceGraph(topology, 2),
      prototypes,
      decodeCorrelatorState(stored),
    );
    const after = run(restored, steps.slice(360));

    expect(new Set([...before.incidents, ...after.incidents]).size).toBe(1);
    const state = restored.snapshot();
    // what ended in the last 30 minutes, and the disk: not the 180 alerts it ever had
    expect(state.alerts.length).toBeLessThanOrEqual(32);
    expect(state.incidents[0]?.fingerprints.length).toBeLessThanOrEqual(32);
    expect(after.events.at(-1)?.incident.alertCount).toBe(181);
    // forgetting changes nothing the incident says: the same events as one that never pruned
    const whole = run(newCorrelator({ retentionMs: 24 * 60 * 60_000 }), steps);
    expect([...before.events, ...after.events]).toEqual(whole.events);
  });
});
