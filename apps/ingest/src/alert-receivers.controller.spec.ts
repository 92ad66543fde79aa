import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { alertSchema, type Alert } from '@vigil/contracts';
import { EventPublisher, VIGIL_SETTINGS } from '@vigil/messaging';
import { metricsRegistry } from '@vigil/telemetry';
import { AlertReceiversController } from './alert-receivers.controller';
import type { IngestSettings } from './ingest.config';
import { ingestProviders } from './ingest.module';

const token = 'unit-test-token-0123456789';
const now = new Date('2026-11-27T10:05:00.000Z');

/** Records what would go to Kafka; `hold` keeps publishes pending, as a slow broker would. */
class FakePublisher {
  readonly batches: Array<{ topic: string; alerts: Alert[] }> = [];
  failWith: Error | undefined;
  private held: Array<() => void> | undefined;

  connect(): Promise<void> {
    return Promise.resolve();
  }

  async publishMany(topic: { name: string }, events: readonly Alert[]): Promise<void> {
    if (this.held) await new Promise<void>((resolve) => this.held?.push(resolve));
    if (this.failWith) throw this.failWith;
    this.batches.push({ topic: topic.name, alerts: [...events] });
  }

  hold(): void {
    this.held = [];
  }

  releaseAll(): void {
    const waiting = this.held ?? [];
    this.held = undefined;
    for (const resolve of waiting) resolve();
  }
}

const amAlert = (name: string, status = 'firing') => ({
  status,
  labels: { alertname: name, service: 'checkout', severity: 'critical' },
  annotations: { summary: `${name} on checkout` },
  startsAt: '2026-11-27T10:02:31.482Z',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus:9090/graph',
  fingerprint: `fp-${name}`,
});
const webhook = (...alerts: unknown[]) => ({
  version: '4',
  status: 'firing',
  receiver: 'vigil',
  groupKey: '{}:{}',
  truncatedAlerts: 0,
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts,
});

async function rejectedCount(reason: string): Promise<number> {
  const metric = await metricsRegistry
    .getSingleMetric('vigil_ingest_requests_rejected_total')
    ?.get();
  return metric?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

describe('alert receivers over HTTP', () => {
  let app: INestApplication;
  let publisher: FakePublisher;
  let baseUrl: string;

  async function start(overrides: Partial<IngestSettings> = {}): Promise<void> {
    publisher = new FakePublisher();
    const settings: IngestSettings = {
      tokens: [token],
      maxBodyBytes: 64 * 1024,
      maxInFlightAlerts: 5,
      stallMs: 60_000,
      retryAfterMs: 7_000,
      serviceLabels: ['service', 'app', 'job'],
      ...overrides,
    };
    const moduleRef = await Test.createTestingModule({
      controllers: [AlertReceiversController],
      providers: [
        ...ingestProviders(() => now),
        { provide: VIGIL_SETTINGS, useValue: settings },
        { provide: EventPublisher, useValue: publisher },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${baseUrl}/api/v1/alerts${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  afterEach(async () => {
    publisher.releaseAll();
    await app.close();
  });

  describe('with a token configured', () => {
    beforeEach(() => start());

    it('publishes an Alertmanager notification as one batch and answers 202 with the count', async () => {
      const response = await post('/alertmanager', webhook(amAlert('A'), amAlert('B', 'resolved')));
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ accepted: 2 });
      expect(publisher.batches).toHaveLength(1);
      const [{ topic, alerts }] = publisher.batches;
      expect(topic).toBe('vigil.alerts.raw.v1');
      expect(alerts.map((a) => [a.fingerprint, a.status, a.service, a.receivedAt])).toEqual([
        ['fp-A', 'firing', 'checkout', now.toISOString()],
        ['fp-B', 'resolved', 'checkout', now.toISOString()],
      ]);
      for (const alert of alerts) expect(alertSchema.safeParse(alert).success).toBe(true);
    });

    it('publishes one generic alert or a batch of them', async () => {
      const single = await post('', { alertname: 'DiskFull', service: 'orders-db' });
      expect(await single.json()).toEqual({ accepted: 1 });
      const batch = await post('', [{ title: 'a' }, { title: 'b', severity: 'info' }]);
      expect(batch.status).toBe(202);
      expect(await batch.json()).toEqual({ accepted: 2 });
      expect(publisher.batches.map((b) => b.alerts.length)).toEqual([1, 2]);
    });

    it('answers 401 with WWW-Authenticate without or with a wrong token, and publishes nothing', async () => {
      const before = await rejectedCount('unauthorized');
      const missing = await post('', { title: 'x' }, { authorization: '' });
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="vigil-ingest"');
      const wrong = await post('/alertmanager', webhook(amAlert('A')), {
        authorization: 'Bearer not-the-token-0123456789',
      });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(await wrong.json()).toMatchObject({ error: 'unauthorized' });
      expect(publisher.batches).toHaveLength(0);
      expect(await rejectedCount('unauthorized')).toBe(before + 2);
    });

    it('answers 415 to a body that is not declared JSON', async () => {
      const response = await post('', 'title=x', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({
        error: 'unsupported-media-type',
        message: expect.stringContaining('application/json'),
      });
    });

    it('answers 400 to malformed JSON', async () => {
      const response = await post('/alertmanager', '{"version": "4", "alerts": [');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'malformed-json' });
    });

    it('answers 400 naming the field and the expectation when the payload breaks the schema', async () => {
      const bad = webhook(amAlert('A'), { ...amAlert('B'), status: 'burning' });
      const response = await post('/alertmanager', bad);
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body).toMatchObject({
        statusCode: 400,
        error: 'schema-violation',
        message: expect.stringContaining('alerts.1.status: Invalid option: expected one of'),
        issues: [{ path: 'alerts.1.status', message: expect.stringContaining('firing') }],
      });
      const unknownSeverity = await post('', [{ title: 'a' }, { title: 'b', severity: 'sev1' }]);
      expect(await unknownSeverity.json()).toMatchObject({
        issues: [
          { path: '1.severity', message: expect.stringContaining('unknown severity "sev1"') },
        ],
      });
      expect(publisher.batches).toHaveLength(0);
    });

    it('answers 413 to a body over the limit and to a batch that can never fit', async () => {
      const huge = await post('', { title: 'x', description: 'd'.repeat(70 * 1024) });
      expect(huge.status).toBe(413);
      expect(await huge.json()).toMatchObject({ error: 'payload-too-large' });
      const many = await post(
        '',
        Array.from({ length: 6 }, (_, i) => ({ title: `t${i}` })),
      );
      expect(many.status).toBe(413);
      expect(await many.json()).toMatchObject({ error: 'batch-too-large' });
    });

    it('answers 503 with Retry-After instead of queueing when Kafka is slow, and recovers', async () => {
      publisher.hold();
      const first = post('', [{ title: 'a' }, { title: 'b' }, { title: 'c' }]);
      await waitUntil(async () => (await inFlight()) === 3);
      const second = await post('', [{ title: 'd' }, { title: 'e' }, { title: 'f' }]);
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('7');
      expect(await second.json()).toMatchObject({ error: 'overloaded' });
      const fits = post('', [{ title: 'g' }, { title: 'h' }]);
      await waitUntil(async () => (await inFlight()) === 5);
      // Saturated: refused before the body is read.
      expect((await post('', { title: 'i' })).status).toBe(503);

      publisher.releaseAll();
      expect((await first).status).toBe(202);
      expect((await fits).status).toBe(202);
      expect(await inFlight()).toBe(0);
      expect((await post('', { title: 'j' })).status).toBe(202);
    });

    it('answers 503 when Kafka fails, so the sender retries; nothing is acknowledged', async () => {
      publisher.failWith = new Error('connection refused');
      const response = await post('/alertmanager', webhook(amAlert('A')));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.json()).toMatchObject({ error: 'kafka-unavailable' });
      expect(await inFlight()).toBe(0);
    });
  });

  it('refuses with 503 while a send waits on Kafka longer than INGEST_STALL_MS, well below the in-flight limit', async () => {
    await start({ stallMs: 100 });
    publisher.hold();
    const first = post('', { title: 'a' });
    await waitUntil(async () => (await inFlight()) === 1);
    // within the stall time a second send still goes in beside the first
    const second = post('', { title: 'b' });
    await waitUntil(async () => (await inFlight()) === 2);
    await new Promise((r) => setTimeout(r, 150));
    const refused = await post('', { title: 'c' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(await refused.json()).toMatchObject({ error: 'kafka-stalled' });
    expect(await rejectedCount('kafka-stalled')).toBeGreaterThan(0);

    publisher.releaseAll();
    expect((await first).status).toBe(202);
    expect((await second).status).toBe(202);
    expect((await post('', { title: 'd' })).status).toBe(202);
    expect(publisher.batches.flatMap((b) => b.alerts.map((a) => a.alertname))).toEqual([
      'a',
      'b',
      'd',
    ]);
  });

  it('accepts alerts without a token when none is configured', async () => {
    await start({ tokens: [] });
    const response = await post('', { title: 'x' }, { authorization: '' });
    expect(response.status).toBe(202);
  });
});

async function inFlight(): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('vigil_ingest_alerts_in_flight')?.get();
  return metric?.values[0]?.value ?? 0;
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not reached');
}
