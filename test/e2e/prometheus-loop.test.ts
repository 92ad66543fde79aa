import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeEvent, Topics } from '@vigil/contracts';
import { scenario, shopServices } from '@vigil/demo-shop';
import { injectFault, liveInstances } from '@vigil/demo-shop-client';
import { GraphTestScope } from '@vigil/graph';
import {
  awaitHealing,
  openIncidents,
  startClosedLoop,
  type ClosedLoop,
} from '../support/closed-loop';
import { readTopic, testKafka } from '../support/kafka-test-kit';
import {
  freePortBlock,
  prometheusAlerts,
  requireMonitoringBinaries,
  scrapeTargets,
  type MonitoringStack,
} from '../support/monitoring-stack';
import { waitFor } from '../support/wait-for';

const runId = randomUUID().slice(0, 6);

/**
 * The loop with the monitoring stack SREs already run: the shop's instances serve /metrics,
 * real Prometheus scrapes them (targets from the executor's file_sd file) and evaluates the
 * committed rule files, real Alertmanager posts to Vigil's ingest, and RCA reads Prometheus. No
 * apps/ruler: every alert comes through Prometheus and Alertmanager (startClosedLoop's
 * `prometheus` alerting). A crash goes in; the test only watches.
 */
describe('the loop through Prometheus and Alertmanager: a crash is alerted on by Prometheus and healed', () => {
  let kafka: Kafka;
  let graph: GraphTestScope | undefined;
  let loop: ClosedLoop | undefined;
  let stack: MonitoringStack | undefined;

  beforeAll(async () => {
    requireMonitoringBinaries();
    // Vigil on portBase+1..+12, the shop on 4200..4299 + shopPortOffset
    const portBase = await freePortBlock(3870, 13, 20, 5);
    const shopPortOffset = (await freePortBlock(7200, 100, 100)) - 4200;
    kafka = testKafka();
    graph = new GraphTestScope(`p${runId}-`);
    // resolves once Prometheus scrapes every shop instance
    loop = await startClosedLoop(kafka, graph, {
      runId,
      portBase,
      shopPortOffset,
      rps: 10,
      alerting: 'prometheus',
      monitoringIntervalS: 2,
    });
    stack = loop.monitoring;
    // baselines: the detectors and the ranking need 45 s of the shop's normal first
    await new Promise((resolve) => setTimeout(resolve, 45_000));
    // Vigil's start (up to 240 s loaded), Prometheus and Alertmanager ready and every instance
    // scraped (up to 120 s and more), then the 45 s: their own errors must come before jest's
  }, 600_000);

  afterAll(async () => {
    // stops Prometheus and Alertmanager too
    await loop?.stop();
    await graph?.close();
  }, 60_000);

  it("scrapes every instance the executor runs, under the shop's service names", async () => {
    const on = loop as ClosedLoop;
    const monitoring = stack as MonitoringStack;
    // what Prometheus scrapes fine, and what answers on the shop's ports, service by service
    const scraped = async () => {
      const targets = await scrapeTargets(monitoring, 'demo-shop');
      return shopServices.map((s) => [
        s.name,
        targets
          .filter((t) => t.labels['service'] === s.name && t.health === 'up')
          .map((t) => t.labels['instance'])
          .sort(),
      ]);
    };
    const running = () =>
      Promise.all(
        shopServices.map(async (s) => [
          s.name,
          (await liveInstances(s.name, on.shop)).map((i) => `127.0.0.1:${i.port}`).sort(),
        ]),
      );
    // Vigil may be restarting an instance over a blip of the loaded machine: give it a moment
    let seen = { scraped: await scraped(), running: await running() };
    await waitFor(
      'the scraped instances to be the running ones',
      async () => {
        seen = { scraped: await scraped(), running: await running() };
        return JSON.stringify(seen.scraped) === JSON.stringify(seen.running);
      },
      60_000,
      2_000,
    ).catch(() => undefined);
    expect(seen.scraped).toEqual(seen.running);
    expect(seen.scraped.filter(([, instances]) => instances.length === 0)).toEqual([]);
  }, 90_000);

  it('restarts a crashed service: alerted by Prometheus through Alertmanager, traced, healed, verified', async () => {
    const on = loop as ClosedLoop;
    const monitoring = stack as MonitoringStack;
    const payment = on.svc('payment');
    // a loaded machine can push the shop's p99 over its limit for a while, which Prometheus
    // rightly alerts on: the fault goes into a quiet shop, or its incident would be another's
    await waitFor(
      'a quiet shop: no alert pending or firing, no incident open',
      async () =>
        (await prometheusAlerts(monitoring)).length === 0 &&
        (await openIncidents(kafka, on.prefix)).length === 0,
      180_000,
      2_000,
    ).catch(async (error: Error) => {
      const alerts = (await prometheusAlerts(monitoring)).map((a) => ({
        ...a.labels,
        state: a.state,
      }));
      throw new Error(`${error.message}; Prometheus's alerts: ${JSON.stringify(alerts)}`);
    });
    const since = Date.now();
    await injectFault(scenario('crash', 'payment'), on.shop, on.executor);
    const healing = await awaitHealing(kafka, payment, since, 240_000).catch((error: Error) => {
      throw new Error(
        `${error.message}\nPrometheus and Alertmanager said:\n${monitoring.output()}`,
      );
    });

    // the alert that opened it came from Prometheus's rule, sent on by Alertmanager
    const alerts = (await readTopic(kafka, Topics.alertsRaw.name))
      .map((m) => decodeEvent(Topics.alertsRaw, m.value))
      .flatMap((d) => (d.ok && Date.parse(d.value.receivedAt) >= since ? [d.value] : []))
      .filter((a) => a.service === payment && a.alertname === 'TargetDown');
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts[0]).toMatchObject({
      source: 'alertmanager',
      severity: 'critical',
      // Prometheus's external label, and its own link to the rule's expression
      labels: expect.objectContaining({ source: 'vigil-demo', job: 'demo-shop' }),
      summary: `payment is down`,
    });
    expect(new URL(alerts[0].generatorUrl ?? 'http://none').port).toBe(
      new URL(monitoring.prometheusUrl).port,
    );

    expect(healing.rightCauseAt).toBeDefined();
    // RCA read Prometheus for it, and found the incident's services there (a label mapping that
    // matched nothing would say `missing`)
    expect(
      healing.rca.flatMap((r) => r.sources ?? []).filter((s) => s.name === 'prometheus'),
    ).toContainEqual(expect.objectContaining({ status: 'ok' }));
    expect(healing.plan.faultClass).toBe('crash');
    expect(healing.plan.steps.every((s) => s.target === payment)).toBe(true);
    expect(healing.otherPlans).toEqual([]);
    expect(healing.audit.map((e) => e.type)).toEqual(
      expect.arrayContaining(['step-succeeded', 'verification-passed', 'plan-completed']),
    );
    expect((await liveInstances('payment', on.shop)).some((i) => i.healthy)).toBe(true);

    // and Prometheus sees it healed: scraped again, its alert gone
    await waitFor(
      'Prometheus to scrape payment again and drop its TargetDown',
      async () => {
        const up = (await scrapeTargets(monitoring, 'demo-shop')).filter(
          (t) => t.labels['service'] === 'payment' && t.health === 'up',
        );
        // Prometheus lists its alerts before the prefix is put back on for Alertmanager
        const down = (await prometheusAlerts(monitoring)).filter(
          (a) => a.labels['alertname'] === 'TargetDown' && a.labels['service'] === 'payment',
        );
        return up.length > 0 && down.length === 0;
      },
      30_000,
      1_000,
    );
    // the two waits above may take 180 s + 240 s on a loaded machine: their own errors, which say
    // what Prometheus and the incidents showed, must come before jest's timeout
  }, 540_000);
});
