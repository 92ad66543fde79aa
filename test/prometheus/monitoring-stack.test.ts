import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shopServices } from '@vigil/demo-shop';
import { scrapeTargetGroups, writeScrapeTargets } from '@vigil/executor-adapters';
import { LocalReceiver } from '../support/local-receiver';
import {
  freePort,
  prometheusAlerts,
  scrapeTargets,
  startMonitoringStack,
  type MonitoringStack,
} from '../support/monitoring-stack';
import { waitFor } from '../support/wait-for';

interface Webhook {
  status: string;
  alerts: { status: string; labels: Record<string, string> }[];
}

/** Stands in for ingest's Alertmanager receiver: keeps each notification and its token. */
class WebhookRecorder extends LocalReceiver {
  readonly received: { authorization?: string; body: Webhook }[] = [];
  protected handle(headers: IncomingHttpHeaders, body: string, res: ServerResponse): void {
    this.received.push({ authorization: headers.authorization, body: JSON.parse(body) as Webhook });
    res.writeHead(200).end('{}');
  }
}

/** A shop instance as far as Prometheus can tell: healthy gauges on /metrics. */
function fakeInstance(port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      'http_error_ratio 0.01\nhttp_request_duration_p99_ms 40\nprocess_cpu_seconds_total 1\n',
    );
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

/** An instance that holds its port and answers nothing: each connection is dropped at once. */
function deadInstance(port: number): Promise<NetServer> {
  const server = createNetServer((socket) => socket.destroy());
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

/**
 * The plumbing of the Prometheus loop without Vigil: the test copy of the committed configs runs,
 * Prometheus scrapes the targets the executor's file lists (the run's prefix taken off the
 * service label), a service that stops answering is alerted on by the committed TargetDown rule,
 * and Alertmanager posts it to ingest's webhook with the token and the prefix put back.
 */
describe('the monitoring stack a test runs (real Prometheus and Alertmanager)', () => {
  const prefix = `m${Date.now().toString(36).slice(-5)}-`;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-monitoring-stack-'));
  const receiver = new WebhookRecorder();
  const servers: Array<Server | NetServer> = [];
  let stack: MonitoringStack | undefined;
  let deadPort = 0;

  beforeAll(async () => {
    await receiver.start();
    const services = [];
    for (const service of shopServices) {
      const port = await freePort();
      // payment's only instance is listed but nothing answers on its port: a crashed process.
      // The port is held (every connection dropped at once), so no other test's server takes it.
      if (service.name === 'payment') {
        deadPort = port;
        servers.push(await deadInstance(port));
      } else servers.push(await fakeInstance(port));
      services.push({ name: `${prefix}${service.name}`, instances: [{ port }] });
    }
    writeScrapeTargets(join(dir, 'targets', 'shop.json'), scrapeTargetGroups(services));
    stack = await startMonitoringStack({
      dir: join(dir, 'stack'),
      targetsDir: join(dir, 'targets'),
      ingestUrl: `http://127.0.0.1:${receiver.port}/api/v1/alerts/alertmanager`,
      ingestToken: 'stack-test-token-0123456789',
      intervalS: 1,
      servicePrefix: prefix,
    });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it("scrapes the file's targets under the shop's own service names", async () => {
    const monitoring = stack as MonitoringStack;
    await waitFor(
      'every target scraped once',
      async () => {
        const targets = await scrapeTargets(monitoring, 'demo-shop');
        return (
          targets.length === shopServices.length && targets.every((t) => t.health !== 'unknown')
        );
      },
      20_000,
      500,
    );
    const targets = await scrapeTargets(monitoring, 'demo-shop');
    expect(targets.map((t) => [t.labels['service'], t.health]).sort()).toEqual(
      shopServices.map((s) => [s.name, s.name === 'payment' ? 'down' : 'up']).sort(),
    );
  }, 30_000);

  it('posts TargetDown for the dead instance to ingest, with the token and the prefixed service', async () => {
    await waitFor(
      'a firing TargetDown at the webhook',
      () =>
        receiver.received.some((r) =>
          r.body.alerts.some((a) => a.labels['alertname'] === 'TargetDown'),
        ),
      60_000,
      500,
    );
    const alerts = receiver.received.flatMap((r) => r.body.alerts);
    expect(alerts.map((a) => [a.labels['alertname'], a.labels['service'], a.status])).toEqual([
      ['TargetDown', `${prefix}payment`, 'firing'],
    ]);
    expect(alerts[0].labels).toMatchObject({
      instance: `127.0.0.1:${deadPort}`,
      job: 'demo-shop',
      source: 'vigil-demo',
      severity: 'critical',
    });
    expect(receiver.received.map((r) => r.authorization)).toEqual(
      receiver.received.map(() => 'Bearer stack-test-token-0123456789'),
    );
    // the healthy services stay quiet: nothing pending or firing for them
    const others = (await prometheusAlerts(stack as MonitoringStack)).filter(
      (a) => a.labels['service'] !== 'payment',
    );
    expect(others.map((a) => a.labels)).toEqual([]);
  }, 70_000);
});
