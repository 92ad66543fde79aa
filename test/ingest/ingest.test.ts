import { randomBytes, randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { type Alert, decodeEvent, Topics } from '@vigil/contracts';
import { collectFromTopic, testKafka } from '../support/kafka-test-kit';
import { startService, type ServiceProcess } from '../support/service-process';

const port = 3905;
const runId = randomUUID().slice(0, 8);
const token = `ingest-test-${randomBytes(16).toString('hex')}`;
const url = (path: string) => `http://127.0.0.1:${port}/api/v1/alerts${path}`;
const topic = Topics.alertsRaw.name;

function post(path: string, body: unknown, auth = `Bearer ${token}`): Promise<Response> {
  return fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: auth },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A notification as Alertmanager 0.27 sends it, with fingerprints unique to this run. */
function alertmanagerNotification(fingerprints: string[]) {
  return {
    receiver: 'vigil',
    status: 'firing',
    alerts: fingerprints.map((fingerprint, i) => ({
      status: i === 1 ? 'resolved' : 'firing',
      labels: {
        alertname: i === 0 ? 'HighErrorRate' : 'KubePodCrashLooping',
        cluster: 'prod-eu',
        namespace: 'shop',
        job: i === 0 ? 'checkout' : 'kubernetes-pods',
        ...(i === 0 ? { service: 'checkout' } : { app_kubernetes_io_name: 'payment' }),
        severity: i === 0 ? 'critical' : 'warning',
        run: runId,
      },
      annotations: { summary: `alert ${i} of run ${runId}`, runbook_url: 'https://runbooks/x' },
      startsAt: '2026-11-27T10:02:31.482345678Z',
      endsAt: i === 1 ? '2026-11-27T10:17:31.5Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.monitoring:9090/graph?g0.expr=up',
      fingerprint,
    })),
    groupLabels: { namespace: 'shop' },
    commonLabels: { cluster: 'prod-eu', namespace: 'shop', run: runId },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.monitoring:9093',
    version: '4',
    groupKey: `{}:{namespace="shop", run="${runId}"}`,
    truncatedAlerts: 0,
  };
}

function decodeAlert(message: KafkaMessage): Alert {
  const decoded = decodeEvent(Topics.alertsRaw, message.value);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value;
}

async function collectKeys(kafka: Kafka, keys: Set<string>): Promise<KafkaMessage[]> {
  return collectFromTopic(
    kafka,
    topic,
    (m) => keys.has(m.key?.toString() ?? ''),
    (kept) => new Set(kept.map((m) => m.key?.toString())).size === keys.size,
  );
}

describe('ingest puts alerts received over HTTP on vigil.alerts.raw.v1', () => {
  let kafka: Kafka;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    kafka = testKafka();
    service = await startService(
      'ingest',
      {
        INGEST_PORT: String(port),
        INGEST_TOKENS: `other-token-0123456789,${token}`,
        LOG_LEVEL: 'warn',
      },
      port,
    );
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('normalizes an Alertmanager notification and keys each alert by its fingerprint', async () => {
    const fingerprints = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
    const response = await post('/alertmanager', alertmanagerNotification(fingerprints));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 2 });

    const messages = await collectKeys(kafka, new Set(fingerprints));
    const byKey = new Map(messages.map((m) => [m.key?.toString(), decodeAlert(m)]));
    expect(byKey.get(fingerprints[0])).toMatchObject({
      schemaVersion: 1,
      fingerprint: fingerprints[0],
      source: 'alertmanager',
      status: 'firing',
      alertname: 'HighErrorRate',
      severity: 'critical',
      service: 'checkout',
      summary: `alert 0 of run ${runId}`,
      startsAt: '2026-11-27T10:02:31.482Z',
      generatorUrl: 'http://prometheus.monitoring:9090/graph?g0.expr=up',
    });
    expect(byKey.get(fingerprints[0])?.endsAt).toBeUndefined();
    expect(byKey.get(fingerprints[1])).toMatchObject({
      status: 'resolved',
      alertname: 'KubePodCrashLooping',
      severity: 'warning',
      service: 'payment',
      endsAt: '2026-11-27T10:17:31.500Z',
      labels: expect.objectContaining({ run: runId, namespace: 'shop' }),
    });
    const receivedAt = Date.parse(byKey.get(fingerprints[0])?.receivedAt ?? '');
    expect(Math.abs(Date.now() - receivedAt)).toBeLessThan(120_000);
  });

  it('publishes nothing for a bad token, malformed JSON or a schema-violating payload', async () => {
    const fingerprint = randomBytes(8).toString('hex');
    const notification = alertmanagerNotification([fingerprint]);

    const unauthorized = await post('/alertmanager', notification, 'Bearer wrong-token-0123456789');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('www-authenticate')).toMatch(/^Bearer realm="vigil-ingest"/);

    const malformed = await post('/alertmanager', '{"version": "4", "alerts": [{');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'malformed-json' });

    const violating = structuredClone(notification) as { alerts: Array<Record<string, unknown>> };
    delete violating.alerts[0].startsAt;
    const invalid = await post('/alertmanager', violating);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      error: 'schema-violation',
      message: expect.stringContaining('alerts.0.startsAt'),
      issues: [{ path: 'alerts.0.startsAt', message: expect.stringMatching(/expected string/) }],
    });

    const notJson = await fetch(url(''), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ alertname: 'NotJson', fingerprint }),
    });
    expect(notJson.status).toBe(415);

    // A marker with the same key goes to the same partition after anything refused above would
    // have: when it arrives, whatever had leaked is already there before it.
    const accepted = await post('', { alertname: 'Marker', fingerprint });
    expect(accepted.status).toBe(202);
    const sameKey = await collectFromTopic(
      kafka,
      topic,
      (m) => m.key?.toString() === fingerprint,
      (kept) => kept.some((m) => decodeAlert(m).alertname === 'Marker'),
    );
    expect(sameKey.map((m) => decodeAlert(m).alertname)).toEqual(['Marker']);
  });

  it('puts every alert of a batch of 500 generic alerts on the topic', async () => {
    const batch = Array.from({ length: 500 }, (_, i) => ({
      alertname: 'HighLatency',
      service: `svc-${i % 25}`,
      severity: ['critical', 'warn', 'minor', 'low'][i % 4],
      labels: { run: runId, shard: i },
      summary: `p99 above 1s on shard ${i}`,
      fingerprint: `t${runId}-batch-${i}`,
    }));
    const response = await post('', batch);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 500 });

    const keys = new Set(batch.map((a) => a.fingerprint));
    const messages = await collectKeys(kafka, keys);
    const alerts = messages.map(decodeAlert);
    expect(new Set(alerts.map((a) => a.fingerprint))).toEqual(keys);
    const shard7 = alerts.find((a) => a.fingerprint === `t${runId}-batch-7`);
    expect(shard7).toMatchObject({
      source: 'generic',
      service: 'svc-7',
      severity: 'info',
      labels: { alertname: 'HighLatency', service: 'svc-7', run: runId, shard: '7' },
    });

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/vigil_ingest_alerts_accepted_total\{source="generic"\} 50[1-9]/);
    expect(metrics).toMatch(/vigil_ingest_requests_rejected_total\{reason="unauthorized"\} 1/);
  });
});
