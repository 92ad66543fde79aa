import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertRule } from '@vigil/alert-rules';
import { loadEnvConfig } from '@vigil/config';
import { Topics, type MetricBatch } from '@vigil/contracts';
import { type InMemoryKafka, inMemoryMessaging, until } from '@vigil/messaging';
import { rulerEnv } from './ruler.config';
import { RulerService } from './ruler.service';

const token = 'ruler-spec-token-0123456789';

const rules: AlertRule[] = [
  {
    alert: 'CheckoutSlow',
    expr: {
      kind: 'threshold',
      value: {
        kind: 'range',
        fn: 'last',
        select: { metric: 'latency_p99_ms', service: 'checkout' },
        windowMs: 60_000,
      },
      op: '>',
      threshold: 300,
    },
    for: 0,
    severity: 'critical',
    annotations: { summary: 'p99 latency of checkout above 300 ms' },
  },
];

interface Webhook {
  status: string;
  alerts: Array<{ status: string; labels: Record<string, string> }>;
}

/** Ingest's Alertmanager webhook, as far as the ruler can tell: records what is posted. */
async function startReceiver(): Promise<{
  server: Server;
  url: string;
  posts: Webhook[];
  auth: string[];
}> {
  const posts: Webhook[] = [];
  const auth: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      posts.push(JSON.parse(body) as Webhook);
      auth.push(request.headers.authorization ?? '');
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/api/v1/alerts/alertmanager`, posts, auth };
}

const latency = (value: number): MetricBatch => ({
  schemaVersion: 1,
  service: 'checkout',
  samples: [{ name: 'latency_p99_ms', value, labels: {}, time: new Date().toISOString() }],
});

describe('RulerService (metric batches in, Alertmanager webhooks out)', () => {
  let kafka: InMemoryKafka;
  let service: RulerService;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dir: string;

  beforeEach(async () => {
    receiver = await startReceiver();
    dir = mkdtempSync(join(tmpdir(), 'vigil-ruler-spec-'));
    const rulesFile = join(dir, 'rules.json');
    writeFileSync(rulesFile, JSON.stringify(rules));
    const settings = loadEnvConfig(
      rulerEnv,
      {
        RULER_RULES: rulesFile,
        RULER_INTERVAL_MS: '500',
        RULER_INGEST_URL: receiver.url,
        RULER_INGEST_TOKEN: token,
      },
      () => undefined,
    );
    const messaging = inMemoryMessaging(settings);
    kafka = messaging.kafka;
    service = new RulerService(settings, messaging.logger, messaging.consumers);
    await service.onApplicationBootstrap();
  });

  afterEach(async () => {
    await service.onApplicationShutdown();
    await new Promise((resolve) => receiver.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts a firing alert when a batch crosses the rule, and a resolved one when it clears', async () => {
    await kafka.send(Topics.metrics, [latency(120)]);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(receiver.posts).toEqual([]);

    await kafka.send(Topics.metrics, [latency(450)]);
    await until('a firing alert', () => receiver.posts.length > 0);
    expect(receiver.posts[0]?.alerts).toEqual([
      expect.objectContaining({
        status: 'firing',
        labels: expect.objectContaining({ alertname: 'CheckoutSlow', service: 'checkout' }),
      }),
    ]);
    expect(receiver.auth[0]).toBe(`Bearer ${token}`);

    await kafka.send(Topics.metrics, [latency(90)]);
    await until('the alert resolved', () =>
      receiver.posts.some((p) => p.alerts.some((a) => a.status === 'resolved')),
    );
    const resolved = receiver.posts.flatMap((p) => p.alerts).find((a) => a.status === 'resolved');
    expect(resolved?.labels).toMatchObject({ alertname: 'CheckoutSlow', service: 'checkout' });
  });
});
