import { randomBytes, randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeEvent, Topics, type IncidentEvent } from '@vigil/contracts';
import { GraphTestScope } from '@vigil/graph';
import { collectFromTopic, testKafka, waitForGroupStable } from '../support/kafka-test-kit';
import { startGroupAtEnd } from '../support/group-offsets';
import { startService, type ServiceProcess } from '../support/service-process';

const ingestPort = 3906;
const correlatorPort = 3907;
const runId = randomUUID().slice(0, 8);
const token = `alert-path-${randomBytes(16).toString('hex')}`;
const svc = (name: string) => `a${runId}-${name}`;

/** What Alertmanager POSTs to a webhook receiver: a database outage and its caller's errors. */
function notification() {
  const alert = (alertname: string, service: string, summary: string, fingerprint: string) => ({
    status: 'firing',
    labels: { alertname, service, cluster: `path-${runId}`, severity: 'critical' },
    annotations: { summary },
    startsAt: new Date().toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph',
    fingerprint,
  });
  return {
    version: '4',
    receiver: 'vigil',
    status: 'firing',
    alerts: [
      alert('PostgresDown', svc('orders-db'), 'orders-db is not answering', `${runId}0001`),
      alert('HighErrorRate', svc('orders'), '5xx ratio above 10% on orders', `${runId}0002`),
    ],
    groupLabels: {},
    commonLabels: { cluster: `path-${runId}` },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    groupKey: `{}:{cluster="path-${runId}"}`,
    truncatedAlerts: 0,
  };
}

describe('an Alertmanager notification becomes an incident', () => {
  let kafka: Kafka;
  let graph: GraphTestScope;
  const services: ServiceProcess[] = [];
  const group = `vigil-alert-path-${runId}`;

  beforeAll(async () => {
    kafka = testKafka();
    graph = new GraphTestScope(`a${runId}-`);
    const topology = graph.topology;
    const at = Date.now();
    await topology.upsertEntity({ id: svc('orders'), kind: 'service', properties: {} }, at);
    await topology.upsertEntity({ id: svc('orders-db'), kind: 'database', properties: {} }, at);
    await topology.upsertEdge(
      { type: 'DEPENDS_ON', from: svc('orders'), to: svc('orders-db') },
      at,
    );
    const common = { LOG_LEVEL: 'warn' };
    await startGroupAtEnd(kafka, group);
    await startGroupAtEnd(kafka, `${group}-router`);
    services.push(
      await startService(
        'correlator',
        {
          ...common,
          CORRELATOR_PORT: String(correlatorPort),
          CORRELATOR_GROUP: group,
          CORRELATOR_START_AT: 'latest',
        },
        correlatorPort,
      ),
    );
    services.push(
      await startService(
        'ingest',
        { ...common, INGEST_PORT: String(ingestPort), INGEST_TOKENS: token },
        ingestPort,
      ),
    );
    await waitForGroupStable(kafka, group);
    await waitForGroupStable(kafka, `${group}-router`);
  });

  afterAll(async () => {
    for (const service of services) await service.stop();
    await graph.close();
  });

  it('opens one incident for the database and its caller, saying why the caller joined', async () => {
    const response = await fetch(`http://127.0.0.1:${ingestPort}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(notification()),
    });
    expect(response.status).toBe(202);

    const messages = await collectFromTopic(
      kafka,
      Topics.incidents.name,
      (m) => {
        const decoded = decodeEvent(Topics.incidents, m.value);
        return (
          decoded.ok && decoded.value.incident.services.some((s) => s.startsWith(`a${runId}-`))
        );
      },
      (kept) => kept.length >= 2,
    );
    const events = messages.map((m) => JSON.parse(m.value?.toString() ?? '{}') as IncidentEvent);
    // The two alerts travel on different partitions: either may open the incident.
    const opened = events.find((e) => e.type === 'opened');
    const attached = events.find((e) => e.type === 'alert-attached');
    if (!opened || !attached || opened.type !== 'opened' || attached.type !== 'alert-attached') {
      throw new Error(
        `expected an opened and an alert-attached event, got ${JSON.stringify(events)}`,
      );
    }
    expect([opened.fingerprint, attached.fingerprint].sort()).toEqual([
      `${runId}0001`,
      `${runId}0002`,
    ]);
    expect(opened.reason).toEqual({ kind: 'first-alert' });
    expect(attached.incidentId).toBe(opened.incidentId);
    expect(attached.reason).toMatchObject({ kind: 'topology-neighbour', hops: 1 });
    if (attached.reason.kind === 'topology-neighbour') {
      expect([...attached.reason.via].sort()).toEqual([svc('orders'), svc('orders-db')].sort());
    }
    expect(attached.incident).toMatchObject({
      severity: 'critical',
      status: 'open',
      alertCount: 2,
    });
  });
});
