import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { stringify as toYaml } from 'yaml';
import { type DlqRecord, type IncidentAction, type IncidentEvent, Topics } from '@vigil/contracts';
import { verifyWebhookSignature } from '@vigil/executor-adapters';
import { readDeadLetters } from '@vigil/messaging';
import { tempFolder } from '../support/executor-app';
import { type ConsumerApp, KafkaSuite, newRunId } from '../support/kafka-suite';
import type { ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';

const PORT = 3961;
const runId = newRunId();
// Services of this run only: the routes match nothing of another run's (or the demo's) incidents.
const checkout = `checkout-${runId}`;
const billing = `billing-${runId}`;
const secret = 'webhook-secret-of-this-run';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * Stands in for Slack, PagerDuty, Opsgenie and the webhook receiver on one local port, routed by
 * path; the webhook answers 503 to its first two requests (down, then up).
 */
class VendorRecorder {
  readonly received: Received[] = [];
  port = 0;
  private webhookFailuresLeft = 2;
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        let status = 202;
        if (req.url?.startsWith('/hook') && this.webhookFailuresLeft > 0) {
          this.webhookFailuresLeft -= 1;
          status = 503;
        }
        this.received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
          status,
        });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(req.url?.startsWith('/slack') ? '{"ok":true}' : '{"status":"success"}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  delivered(prefix: string): Received[] {
    return this.received.filter((r) => r.url.startsWith(prefix) && r.status < 300);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** A port nothing listens on: a receiver that is down for good. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 1;
}

const summary = {
  title: 'checkout errors',
  severity: 'critical' as const,
  status: 'open' as const,
  services: ['checkout'],
  alertCount: 1,
  openedAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:00.000Z',
};
const incidentA = `inc-a-${runId}`;
const incidentB = `inc-b-${runId}`;
const incidentC = `inc-c-${runId}`;

function opened(incidentId: string, service: string): IncidentEvent {
  return {
    schemaVersion: 1,
    eventId: `${incidentId}-opened`,
    incidentId,
    at: summary.openedAt,
    type: 'opened',
    incident: { ...summary, services: [service] },
    fingerprint: 'fp',
    reason: { kind: 'first-alert' },
    alert: {
      alertname: 'HighErrorRate',
      service,
      severity: 'critical',
      startsAt: summary.openedAt,
    },
  };
}

describe('notifier: incidents out to Slack, PagerDuty, Opsgenie and a signed webhook', () => {
  let suite: KafkaSuite;
  let recorder: VendorRecorder;
  let app: ConsumerApp;
  let notifier: ServiceProcess | undefined;

  async function parked(): Promise<DlqRecord[]> {
    return (await readDeadLetters(suite.kafka)).flatMap((s) =>
      s.record?.originalTopic === Topics.incidents.name && s.record.reason.includes(runId)
        ? [s.record]
        : [],
    );
  }

  function action(kind: 'acknowledge' | 'resolve'): IncidentAction {
    return {
      schemaVersion: 1,
      actionId: `${incidentA}-${kind}`,
      incidentId: incidentA,
      action: kind,
      by: { user: 'ana', role: 'responder' },
      via: 'console',
      at: '2026-12-02T10:05:00.000Z',
    };
  }

  const resolved: IncidentEvent = {
    schemaVersion: 1,
    eventId: `${incidentA}-resolved`,
    incidentId: incidentA,
    at: '2026-12-02T10:10:00.000Z',
    type: 'resolved',
    incident: { ...summary, services: [checkout], status: 'resolved' },
    reason: 'resolved',
  };

  beforeAll(async () => {
    suite = await KafkaSuite.open();
    recorder = new VendorRecorder();
    await recorder.start();
    const base = `http://127.0.0.1:${recorder.port}`;
    const folder = tempFolder('vigil-notifier-');
    const routes = folder.write(
      'routes.yaml',
      toYaml({
        receivers: [
          { name: 'gone', kind: 'webhook', url: `http://127.0.0.1:${await deadPort()}/x`, secret },
          {
            name: 'slack',
            kind: 'slack',
            channel: 'C0PAYMENTS',
            token: 'xoxb-test',
            apiUrl: `${base}/slack/api/`,
          },
          { name: 'pd', kind: 'pagerduty', routingKey: 'R0UTING', url: `${base}/pd/v2/enqueue` },
          { name: 'og', kind: 'opsgenie', apiKey: 'genie', apiUrl: `${base}/og` },
          { name: 'hook', kind: 'webhook', url: `${base}/hook`, secret },
        ],
        teams: { payments: [checkout] },
        routes: [
          { receiver: 'gone', services: [billing] },
          { receiver: 'slack', teams: ['payments'], continue: true },
          { receiver: 'pd', severities: ['critical'], services: [checkout], continue: true },
          {
            receiver: 'og',
            labels: { alertname: 'HighErrorRate', service: checkout },
            continue: true,
          },
          { receiver: 'hook', services: [checkout] },
        ],
      }),
    );
    const group = `vigil-test-notifier-${runId}`;
    app = {
      app: 'notifier',
      port: PORT,
      groups: [group],
      topics: [Topics.incidents, Topics.incidentActions],
      env: {
        NOTIFIER_PORT: String(PORT),
        NOTIFIER_GROUP: group,
        NOTIFIER_ROUTES: routes,
        NOTIFIER_LEDGER_DIR: folder.path('ledger'),
        NOTIFIER_TIMEOUT_MS: '2000',
        NOTIFIER_ATTEMPTS: '4',
        NOTIFIER_BACKOFF_MS: '50',
        NOTIFIER_BACKOFF_MAX_MS: '200',
        LOG_LEVEL: 'warn',
      },
    };
    notifier = await suite.startConsumer(app);
  }, 90_000);

  afterAll(async () => {
    await suite?.close();
    await recorder?.stop();
  });

  it('triggers, acknowledges and resolves in each vendor format, once each despite a receiver down', async () => {
    await suite.publisher.publish(Topics.incidents, opened(incidentA, checkout));
    await waitFor('the trigger at every receiver', () =>
      ['/slack', '/pd', '/og', '/hook'].every((p) => recorder.delivered(p).length === 1),
    );
    await suite.publisher.publish(Topics.incidentActions, action('acknowledge'));
    await waitFor('the acknowledge', () => recorder.delivered('/pd').length === 2);
    await suite.publisher.publish(Topics.incidents, resolved);
    await waitFor('the resolve at every receiver', () =>
      ['/slack', '/pd', '/og', '/hook'].every((p) => recorder.delivered(p).length === 3),
    );

    const pd = recorder.delivered('/pd').map((r) => JSON.parse(r.body));
    expect(pd.map((e) => e.event_action)).toEqual(['trigger', 'acknowledge', 'resolve']);
    expect(pd.every((e) => e.dedup_key === incidentA && e.routing_key === 'R0UTING')).toBe(true);
    expect(pd[0].payload).toMatchObject({
      summary: `checkout errors (${checkout})`,
      source: checkout,
      severity: 'critical',
    });
    expect(pd[1].payload).toBeUndefined();

    const og = recorder.delivered('/og');
    expect(og.map((r) => r.url)).toEqual([
      '/og/v2/alerts',
      `/og/v2/alerts/${incidentA}/acknowledge?identifierType=alias`,
      `/og/v2/alerts/${incidentA}/close?identifierType=alias`,
    ]);
    expect(og.every((r) => r.headers['authorization'] === 'GenieKey genie')).toBe(true);
    expect(JSON.parse(og[0]?.body ?? '{}')).toMatchObject({ alias: incidentA, priority: 'P1' });

    const slack = recorder.delivered('/slack');
    expect(slack[0]?.url).toBe('/slack/api/chat.postMessage');
    expect(slack[0]?.headers['authorization']).toBe('Bearer xoxb-test');
    expect(JSON.parse(slack[1]?.body ?? '{}')).toMatchObject({ channel: 'C0PAYMENTS' });
    expect(JSON.parse(slack[1]?.body ?? '{}').text).toContain('acknowledged by ana');

    // down (503, 503) then up: retried, and each action arrived once, signed
    const hook = recorder.received.filter((r) => r.url.startsWith('/hook'));
    expect(hook.filter((r) => r.status === 503)).toHaveLength(2);
    const delivered = recorder.delivered('/hook');
    expect(new Set(delivered.map((r) => r.headers['idempotency-key'])).size).toBe(3);
    for (const r of delivered) {
      const check = verifyWebhookSignature(
        secret,
        r.headers['x-vigil-timestamp'] as string,
        r.body,
        r.headers['x-vigil-signature'] as string,
        Date.now(),
        60_000,
      );
      expect(check).toEqual({ ok: true });
    }
  }, 60_000);

  it('dead-letters a receiver that stays down, with the reason', async () => {
    await suite.publisher.publish(Topics.incidents, opened(incidentB, billing));
    let records: DlqRecord[] = [];
    await waitFor('the DLQ record', async () => {
      records = await parked();
      return records.length > 0;
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ errorKind: 'processing-failed', attempts: 4 });
    expect(records[0]?.reason).toContain(`receiver gone (webhook) trigger of ${incidentB}`);
    expect(records[0]?.reason).toMatch(/ECONNREFUSED/);
  }, 60_000);

  it('sends nothing twice after a restart, even when the events come again; retries what was parked', async () => {
    await notifier?.stop();
    const before = recorder.received.length;
    notifier = await suite.startConsumer({ ...app, keepOffsets: true });
    // a producer's replay: the same events again, then a new incident to know they were read
    await suite.publisher.publish(Topics.incidents, opened(incidentA, checkout));
    await suite.publisher.publish(Topics.incidentActions, action('acknowledge'));
    await suite.publisher.publish(Topics.incidents, resolved);
    await suite.publisher.publish(Topics.incidents, opened(incidentB, billing));
    await suite.publisher.publish(Topics.incidents, opened(incidentC, checkout));
    await waitFor('the new incident at the webhook', () =>
      recorder.delivered('/hook').some((r) => r.body.includes(incidentC)),
    );
    await waitFor('the new incident everywhere', () =>
      ['/slack', '/pd', '/og'].every((p) => recorder.delivered(p).length === 4),
    );
    const after = recorder.received.slice(before);
    expect(after.filter((r) => r.body.includes(incidentA) || r.url.includes(incidentA))).toEqual(
      [],
    );
    // the incident that went to the DLQ is tried again (a replay is how it is redriven), and parked again
    expect(after).toHaveLength(4);
    await waitFor(
      'the replayed dead letter parked again',
      async () => (await parked()).length === 2,
    );
  }, 90_000);
});
