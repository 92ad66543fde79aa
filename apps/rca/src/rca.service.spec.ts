import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadEnvConfig } from '@vigil/config';
import {
  Topics,
  type Alert,
  type CallSpan,
  type IncidentEvent,
  type MetricBatch,
} from '@vigil/contracts';
import { InMemoryTopologyRepository } from '@vigil/graph';
import { type InMemoryKafka, inMemoryMessaging, until } from '@vigil/messaging';
import { waitingCallerTraces } from '@vigil/rca/testing';
import { rcaEnv } from './rca.config';
import { RcaService } from './rca.service';

const STEP = 10_000;
const POINTS = 120;
const wobble = (i: number, seed: number) =>
  Math.sin(i * 1.7 + seed) * 0.5 + Math.cos(i * 0.31 + seed) * 0.5;

/** When each service gets slow, in steps after the fault (catalog never does). */
const delays: Record<string, number | undefined> = {
  'payment-db': 0,
  payment: 1,
  checkout: 2,
  frontend: 3,
};
const slowFrom = (service: string) => {
  const delay = delays[service];
  return delay === undefined ? Infinity : POINTS - 18 + delay;
};

/**
 * Twenty minutes of metrics ending at `now`: payment-db's queries slow down three minutes ago and
 * its callers follow, a step later each; catalog stays as it was. With `slowMs` 0, nothing changes.
 */
function metricHistory(now: number, slowMs = 400): MetricBatch[] {
  const start = now - (POINTS - 1) * STEP;
  return ['frontend', 'checkout', 'payment', 'payment-db', 'catalog'].map((service, s) => {
    const samples = Array.from({ length: POINTS }, (_, i) => {
      const time = new Date(start + i * STEP).toISOString();
      const slow = i >= slowFrom(service) ? slowMs : 0;
      return [
        { name: 'latency_p99_ms', value: 40 + 4 * wobble(i, s) + slow, labels: {}, time },
        { name: 'error_rate', value: 0.01 + 0.002 * wobble(i, s + 1), labels: {}, time },
      ];
    });
    return { schemaVersion: 1, service, samples: samples.flat() };
  });
}

/**
 * The same fault seen only by callers: twenty minutes of aggregated call records per caller and
 * callee (each one step's calls, their mean duration), the callees' answers slowing as above.
 */
function callHistory(now: number): CallSpan[] {
  const start = now - (POINTS - 1) * STEP;
  const calls = [
    ['web', 'frontend'],
    ['frontend', 'checkout'],
    ['frontend', 'catalog'],
    ['checkout', 'payment'],
    ['checkout', 'catalog'],
    ['payment', 'payment-db'],
  ] as const;
  return Array.from({ length: POINTS }, (_, i) =>
    calls.map(([caller, callee], c) => ({
      schemaVersion: 1 as const,
      caller,
      callee,
      time: new Date(start + i * STEP).toISOString(),
      durationMs: 30 + 3 * wobble(i, c) + (i >= slowFrom(callee) ? 400 : 0),
      status: 'ok' as const,
      count: 20 + Math.round(2 * wobble(i, c + 3)),
    })),
  ).flat();
}

function frontendAlert(now: number): Alert {
  return {
    schemaVersion: 1,
    fingerprint: 'frontend-latency',
    source: 'spec',
    status: 'firing',
    alertname: 'FrontendLatencyHigh',
    severity: 'critical',
    service: 'frontend',
    summary: 'p99 latency of the frontend above 300 ms',
    labels: { alertname: 'FrontendLatencyHigh', service: 'frontend' },
    annotations: {},
    startsAt: new Date(now - 60_000).toISOString(),
    receivedAt: new Date(now).toISOString(),
  };
}

function incidentOpened(now: number): IncidentEvent {
  const at = new Date(now).toISOString();
  return {
    schemaVersion: 1,
    eventId: 'inc-1:1',
    incidentId: 'inc-1',
    at,
    type: 'opened',
    fingerprint: 'frontend-latency',
    reason: { kind: 'first-alert' },
    incident: {
      title: 'Frontend latency high',
      severity: 'critical',
      status: 'open',
      services: ['frontend'],
      alertCount: 1,
      openedAt: at,
      updatedAt: at,
    },
  };
}

let kafka: InMemoryKafka;
let service: RcaService | undefined;

/** The service over an in-memory Kafka and this topology, with these variables set. */
async function startService(env: Record<string, string> = {}): Promise<void> {
  const topology = new InMemoryTopologyRepository();
  for (const [from, to, type] of [
    ['frontend', 'checkout', 'CALLS'],
    ['frontend', 'catalog', 'CALLS'],
    ['checkout', 'payment', 'CALLS'],
    ['checkout', 'catalog', 'CALLS'],
    ['payment', 'payment-db', 'DEPENDS_ON'],
  ] as const)
    await topology.upsertEdge({ from, to, type });
  const settings = loadEnvConfig(rcaEnv, { RCA_INTERVAL_MS: '20', ...env }, () => undefined);
  const messaging = inMemoryMessaging(settings);
  kafka = messaging.kafka;
  service = new RcaService(
    settings,
    messaging.logger,
    messaging.consumers,
    messaging.publisher,
    topology.repository,
  );
  await service.onApplicationBootstrap();
}

afterEach(async () => {
  await service?.onApplicationShutdown();
  service = undefined;
});

/** The evidence, the frontend's alert and the incident it opened, then the first ranking. */
async function openSlowFrontendIncident(
  evidence: (now: number) => Promise<void> = (now) =>
    kafka.send(Topics.metrics, metricHistory(now)),
): Promise<void> {
  const now = Date.now();
  await evidence(now);
  await kafka.send(Topics.alertsRaw, [frontendAlert(now)]);
  await kafka.send(Topics.incidents, [incidentOpened(now)]);
  await until('a ranking', () => kafka.published(Topics.rca).length > 0);
}

describe('RcaService (evidence in, ranked root causes out)', () => {
  beforeEach(() => startService());

  it('names the service whose metrics changed first as the root cause, with its path to the alert', async () => {
    await openSlowFrontendIncident();
    const [result] = kafka.published(Topics.rca);
    expect(result).toMatchObject({ incidentId: 'inc-1', revision: 0 });
    expect(result?.candidates[0]).toMatchObject({
      service: 'payment-db',
      path: ['payment-db', 'payment', 'checkout', 'frontend'],
    });
    expect(result?.candidates.map((c) => c.service)).not.toContain('catalog');
  });

  it('names a callee first when only its callers’ call records show it getting slow', async () => {
    await openSlowFrontendIncident(async (now) => {
      await kafka.send(Topics.metrics, metricHistory(now, 0));
      await kafka.send(Topics.spans, callHistory(now));
    });
    const [result] = kafka.published(Topics.rca);
    expect(result?.candidates[0]).toMatchObject({
      service: 'payment-db',
      path: ['payment-db', 'payment', 'checkout', 'frontend'],
    });
  });

  it('blames the service whose calls all wait when whole traces show the wait is not in its callees', async () => {
    await openSlowFrontendIncident(async (now) => {
      await kafka.send(Topics.metrics, metricHistory(now, 0));
      const traces = waitingCallerTraces({ now, steps: POINTS, stepMs: STEP, faultSteps: 18 });
      await kafka.send(Topics.traces, traces);
    });
    const [result] = kafka.published(Topics.rca);
    expect(result?.candidates[0]).toMatchObject({ service: 'checkout' });
  });

  it('ranks an incident that another instance ranked before at the revision after the last one published', async () => {
    const at = new Date().toISOString();
    const elsewhere = {
      schemaVersion: 1 as const,
      incidentId: 'inc-1',
      revision: 4,
      generatedAt: at,
      method: 'another instance',
      candidates: [
        {
          service: 'catalog',
          rank: 1,
          score: 0.5,
          evidence: { metrics: [], logTemplates: [], alerts: [], onset: at },
          path: ['catalog', 'frontend'],
        },
      ],
    };
    await kafka.send(Topics.rca, [elsewhere]);
    await openSlowFrontendIncident();
    await until('a ranking of its own', () => kafka.published(Topics.rca).length > 1);
    expect(kafka.published(Topics.rca)[1]).toMatchObject({
      incidentId: 'inc-1',
      revision: 5,
      candidates: [expect.objectContaining({ service: 'payment-db' })],
    });
  });

  it('publishes a ranking once and not again while no new evidence arrives', async () => {
    await openSlowFrontendIncident();

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(kafka.published(Topics.rca)).toHaveLength(1);
  });
});

/**
 * A Prometheus stand-in serving metricHistory's samples as query_range matrices, one series per
 * service labelled `service`, for whichever of its metric names the query mentions.
 */
async function fakePrometheus(now: number): Promise<{ url: string; close: () => Promise<void> }> {
  const batches = metricHistory(now);
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const query = form.get('query') ?? '';
      const [start, end] = [Number(form.get('start')) * 1000, Number(form.get('end')) * 1000];
      const result = batches.map((batch) => ({
        metric: { service: batch.service },
        values: batch.samples
          .filter((sample) => query.includes(`${sample.name}{`))
          .map((sample) => [Date.parse(sample.time) / 1000, String(sample.value)] as const)
          .filter(([time]) => time * 1000 >= start && time * 1000 <= end),
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('RcaService with a Prometheus', () => {
  const queries =
    'latency_p99_ms=max by ($by) (latency_p99_ms{$selector});error_rate=max by ($by) (error_rate{$selector})';

  it("ranks on Prometheus's series when Kafka holds no metrics, and says both sources answered", async () => {
    const prometheus = await fakePrometheus(Date.now());
    try {
      await startService({ RCA_PROMETHEUS_URL: prometheus.url, RCA_PROMETHEUS_QUERIES: queries });
      await openSlowFrontendIncident(async () => undefined);
      const [result] = kafka.published(Topics.rca);
      expect(result?.candidates[0]).toMatchObject({
        service: 'payment-db',
        path: ['payment-db', 'payment', 'checkout', 'frontend'],
      });
      expect(result?.candidates[0].evidence.metrics[0]).toMatchObject({ metric: 'latency_p99_ms' });
      expect(result?.sources).toEqual([
        { name: 'kafka', status: 'ok' },
        { name: 'prometheus', status: 'ok' },
      ]);
    } finally {
      await prometheus.close();
    }
  });

  it('ranks on what Kafka holds when Prometheus is unreachable, and says Prometheus was missing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    await startService({ RCA_PROMETHEUS_URL: url });
    await openSlowFrontendIncident();
    const [result] = kafka.published(Topics.rca);
    expect(result?.candidates[0]).toMatchObject({ service: 'payment-db' });
    expect(result?.sources).toEqual([
      { name: 'kafka', status: 'ok' },
      {
        name: 'prometheus',
        status: 'missing',
        detail: `${url}: connect ECONNREFUSED ${url.slice('http://'.length)}`,
      },
    ]);
  });
});
