import { setTimeout as sleep } from 'node:timers/promises';
import {
  decodeEvent,
  topologyFileSchema,
  topologyFileToEvents,
  Topics,
  type Alert,
  type IncidentEvent,
  type LogRecord,
  type MetricBatch,
  type RcaResult,
} from '@vigil/contracts';
import { waitingCallerTraces } from '@vigil/rca/testing';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import { collectFromTopic } from '../support/kafka-test-kit';
import { waitFor } from '../support/wait-for';

const runId = newRunId();
const id = (name: string) => `r${runId}-${name}`;
const STEP = 10_000;
const POINTS = 120;

// The shop: frontend -> checkout -> payment -> payment-db, and two bystanders.
const topologyFile = {
  services: [
    { id: id('frontend'), calls: [id('checkout'), id('catalog')] },
    { id: id('checkout'), calls: [id('payment'), id('catalog')] },
    { id: id('payment'), dependsOn: [id('payment-db')] },
    { id: id('catalog') },
  ],
  databases: [{ id: id('payment-db') }],
};

const wobble = (i: number, seed: number) =>
  Math.sin(i * 1.7 + seed) * 0.5 + Math.cos(i * 0.31 + seed) * 0.5;

/**
 * Twenty minutes of metrics ending now; payment-db's queries slow down three minutes ago and its
 * callers follow, a step later each.
 */
function metricHistory(now: number): MetricBatch[] {
  const start = now - (POINTS - 1) * STEP;
  const faultFrom = POINTS - 18;
  const delays: Record<string, number | undefined> = {
    'payment-db': 0,
    payment: 1,
    checkout: 2,
    frontend: 3,
  };
  return ['frontend', 'checkout', 'payment', 'payment-db', 'catalog'].map((name, s) => {
    const delay = delays[name];
    const samples = Array.from({ length: POINTS }, (_, i) => {
      const time = new Date(start + i * STEP).toISOString();
      const slow = delay !== undefined && i >= faultFrom + delay ? 400 : 0;
      return [
        { name: 'latency_p99_ms', value: 40 + 4 * wobble(i, s) + slow, labels: {}, time },
        { name: 'error_rate', value: 0.01 + 0.002 * wobble(i, s + 1), labels: {}, time },
        { name: 'cpu_usage', value: 0.3 + 0.02 * wobble(i, s + 2), labels: {}, time },
        { name: 'throughput_rps', value: 100 + 5 * wobble(i, s + 3), labels: {}, time },
      ];
    });
    return { schemaVersion: 1, service: id(name), samples: samples.flat() };
  });
}

/** payment-db's log: routine lines all along, then lock timeouts from the fault on. */
function paymentDbLogs(now: number): LogRecord[] {
  const start = now - (POINTS - 1) * STEP;
  const records: LogRecord[] = [];
  for (let i = 0; i < POINTS; i++) {
    const time = new Date(start + i * STEP).toISOString();
    records.push({
      schemaVersion: 1,
      service: id('payment-db'),
      level: 'info',
      body: `checkpoint complete: wrote ${100 + i} buffers (${(i % 7) + 1}.2%)`,
      attributes: {},
      time,
    });
    if (i >= POINTS - 18) {
      for (let k = 0; k < 6; k++) {
        records.push({
          schemaVersion: 1,
          service: id('payment-db'),
          level: 'error',
          body: `canceling statement due to lock timeout on relation payments_${k} after ${5000 + k} ms`,
          attributes: {},
          time,
        });
      }
    }
  }
  return records;
}

function frontendAlert(now: number): Alert {
  return {
    schemaVersion: 1,
    fingerprint: `${runId}-frontend-latency`,
    source: 'integration-test',
    status: 'firing',
    alertname: 'FrontendLatencyHigh',
    severity: 'critical',
    service: id('frontend'),
    summary: 'p99 latency of the frontend above 300 ms',
    labels: { alertname: 'FrontendLatencyHigh', service: id('frontend') },
    annotations: {},
    startsAt: new Date(now - 60_000).toISOString(),
    receivedAt: new Date(now).toISOString(),
  };
}

function incidentOpened(now: number, alert: Alert): IncidentEvent {
  const at = new Date(now).toISOString();
  return {
    schemaVersion: 1,
    eventId: `inc-${runId}:1`,
    incidentId: `inc-${runId}`,
    at,
    type: 'opened',
    fingerprint: alert.fingerprint,
    reason: { kind: 'first-alert' },
    incident: {
      title: 'Frontend latency high',
      severity: 'critical',
      status: 'open',
      services: [id('frontend')],
      alertCount: 1,
      openedAt: at,
      updatedAt: at,
    },
  };
}

describe('root-cause analysis from Kafka and Neo4j', () => {
  let suite: KafkaSuite;
  const groups = {
    sync: `vigil-topology-sync-rca-it-${runId}`,
    signals: `vigil-signals-it-${runId}`,
    rca: `vigil-rca-it-${runId}`,
  };

  beforeAll(async () => {
    suite = await KafkaSuite.open(`r${runId}-`);
    await suite.startConsumers(
      {
        app: 'topology-sync',
        env: {
          TOPOLOGY_SYNC_PORT: '3911',
          TOPOLOGY_SYNC_GROUP: groups.sync,
          LOG_LEVEL: 'warn',
        },
        port: 3911,
        groups: [groups.sync],
        // A reused broker holds every earlier run's topology: this run's sync starts after it.
        topics: [Topics.topology, Topics.spans],
      },
      {
        app: 'signals',
        env: {
          SIGNALS_PORT: '3912',
          SIGNALS_GROUP: groups.signals,
          SIGNALS_START_AT: 'latest',
          LOG_LEVEL: 'warn',
        },
        port: 3912,
        groups: [groups.signals],
      },
      {
        app: 'rca',
        env: {
          RCA_PORT: '3913',
          RCA_GROUP: groups.rca,
          RCA_INTERVAL_MS: '1000',
          RCA_START_AT: 'latest',
          LOG_LEVEL: 'warn',
        },
        port: 3913,
        groups: [groups.rca],
      },
    );
  });

  afterAll(async () => {
    await suite.close();
  });

  it('names the injected service first, with the path from it to the alerting frontend', async () => {
    const events = topologyFileToEvents(topologyFileSchema.parse(topologyFile), {
      source: 'integration-test',
      occurredAt: new Date(),
      eventIdPrefix: `rca-${runId}`,
    });
    await suite.publisher.publishMany(Topics.topology, events);
    await waitFor(
      'the topology in Neo4j',
      async () =>
        (await suite.graph.topology.neighbourhood([id('frontend')], 3)).nodes.length === 5,
    );

    const now = Date.now();
    await suite.publisher.publishMany(Topics.metrics, metricHistory(now));
    await suite.publisher.publishMany(Topics.logs, paymentDbLogs(now));
    const alert = frontendAlert(now);
    await suite.publisher.publish(Topics.alertsRaw, alert);
    // the anomalies from the logs reach rca through signals before it ranks, or in a revision
    await suite.publisher.publish(Topics.incidents, incidentOpened(now, alert));

    const results = await collectFromTopic(
      suite.kafka,
      Topics.rca.name,
      (m) => m.key?.toString() === `inc-${runId}`,
      (kept) => kept.some((m) => hasLogEvidence(decode(m.value))),
      90_000,
    );
    const latest = decode(results[results.length - 1].value);
    const first = latest.candidates[0];
    expect(first.service).toBe(id('payment-db'));
    expect(first.path).toEqual([id('payment-db'), id('payment'), id('checkout'), id('frontend')]);
    expect(first.evidence.metrics[0].metric).toBe('latency_p99_ms');
    expect(first.evidence.logTemplates[0].template).toMatch(/lock timeout/);
    // signals keeps the mined templates for the console
    const response = await fetch(
      `http://127.0.0.1:3912/api/v1/services/${id('payment-db')}/log-templates`,
    );
    const body = (await response.json()) as {
      templates: Array<{ template: string; count: number }>;
    };
    expect(body.templates.map((t) => t.template)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/lock timeout/),
        expect.stringMatching(/checkpoint/),
      ]),
    );
  }, 180_000);

  it('reads whole traces from vigil.traces.v1: blames the service whose calls all wait, not its callees', async () => {
    // the same shape of shop under other names: checkout's every call waits, its callees do not
    const t = (role: string) => id(`t-${role}`);
    const file = {
      services: [
        { id: t('frontend'), calls: [t('checkout')] },
        { id: t('checkout'), calls: [t('payment'), t('catalog')] },
        { id: t('payment'), calls: [t('payment-db')] },
        { id: t('catalog') },
        { id: t('payment-db') },
      ],
    };
    const events = topologyFileToEvents(topologyFileSchema.parse(file), {
      source: 'integration-test',
      occurredAt: new Date(),
      eventIdPrefix: `rca-traces-${runId}`,
    });
    await suite.publisher.publishMany(Topics.topology, events);
    await waitFor(
      'the topology in Neo4j',
      async () => (await suite.graph.topology.neighbourhood([t('frontend')], 3)).nodes.length === 5,
    );

    const now = Date.now();
    const traces = waitingCallerTraces({
      now,
      steps: POINTS,
      stepMs: STEP,
      faultSteps: 18,
      name: t,
    });
    // all at once, a 20-minute backlog: read a partition at a time, it must still give every
    // partition's spans their bins (the store's time is its slowest partition's)
    await suite.publisher.publishMany(Topics.traces, traces);
    const alert = {
      ...frontendAlert(now),
      fingerprint: `${runId}-t-frontend`,
      service: t('frontend'),
    };
    await suite.publisher.publish(Topics.alertsRaw, alert);
    const opened = incidentOpened(now, alert);
    const incidentId = `inc-t-${runId}`;
    await suite.publisher.publish(Topics.incidents, {
      ...opened,
      incidentId,
      eventId: `${incidentId}:1`,
      incident: { ...opened.incident, services: [t('frontend')] },
    });

    const results = await collectFromTopic(
      suite.kafka,
      Topics.rca.name,
      (m) => m.key?.toString() === incidentId,
      (kept) => kept.length > 0,
      90_000,
    );
    const first = decode(results[results.length - 1].value).candidates[0];
    expect(first.service).toBe(t('checkout'));
    expect(first.evidence.metrics.map((m) => m.metric)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^trace_link_wait_p90\{peer=/)]),
    );
    // and not one span of the backlog was turned away as late (rca counts them on each pass)
    await sleep(3_000);
    const metrics = await (await fetch('http://127.0.0.1:3913/metrics')).text();
    // the counter is there (it shows no line for a stream until its first drop)
    expect(metrics).toContain('# TYPE vigil_rca_records_dropped_total counter');
    const dropped = /vigil_rca_records_dropped_total\{stream="trace_spans"\} (\d+)/.exec(metrics);
    expect(Number(dropped?.[1] ?? 0)).toBe(0);
  }, 180_000);
});

function decode(value: Buffer | null): RcaResult {
  const decoded = decodeEvent(Topics.rca, value);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value;
}

function hasLogEvidence(result: RcaResult): boolean {
  return result.candidates[0]?.evidence.logTemplates.length > 0;
}
