import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { fittingActions } from '@vigil/action-catalog';
import { scenario } from '@vigil/demo-shop';
import { injectFault, liveInstances } from '@vigil/demo-shop-client';
import { GraphTestScope } from '@vigil/graph';
import {
  awaitHealing,
  openIncidents,
  startClosedLoop,
  type ClosedLoop,
} from '../support/closed-loop';
import { testKafka } from '../support/kafka-test-kit';
import { waitFor } from '../support/wait-for';

const runId = randomUUID().slice(0, 6);

/**
 * The whole loop on real parts: a shop of real processes under load, Vigil in one process (real
 * Kafka, Neo4j, MiniLM and the local model gateway). A fault goes in; the test only watches.
 */
describe('closed loop: faults in the demo shop are detected, diagnosed and healed', () => {
  let kafka: Kafka;
  let graph: GraphTestScope | undefined;
  let loop: ClosedLoop;

  beforeAll(async () => {
    kafka = testKafka();
    graph = new GraphTestScope(`l${runId}-`);
    loop = await startClosedLoop(kafka, graph, {
      runId,
      portBase: 3800,
      shopPortOffset: 1000,
      rps: 10,
    });
    // baselines: the detectors and the ranking need 45 s of the shop's normal first (20 points of
    // its 2-s reports, and some to spare), as in prometheus-loop.test.ts
    await new Promise((resolve) => setTimeout(resolve, 45_000));
  }, 360_000);

  afterAll(async () => {
    await loop?.stop();
    await graph?.close();
  });

  /** The trail's event types, with every event's detail beside them for when the test fails. */
  const expectTrail = (healing: { audit: ReadonlyArray<{ type: string; detail: object }> }) =>
    expect({
      types: healing.audit.map((e) => e.type),
      details: healing.audit.map((e) => `${e.type}: ${JSON.stringify(e.detail)}`),
    }).toEqual({
      types: expect.arrayContaining([
        'verdict',
        'step-started',
        'step-succeeded',
        'verification-passed',
        'plan-completed',
      ]),
      details: expect.any(Array),
    });

  /** Every step on the faulty service, and one of them an action that treats the fault. */
  const expectTreatment = (
    steps: ReadonlyArray<{ action: string; target: string }>,
    fault: 'crash' | 'bad-deploy',
    target: string,
  ) => {
    expect(steps.every((s) => s.target === target)).toBe(true);
    expect(steps.some((s) => (fittingActions[fault] as readonly string[]).includes(s.action))).toBe(
      true,
    );
  };

  it('restarts a crashed service: traced to it, healed behind the guardrails, verified, audited', async () => {
    // a fault goes into a quiet shop: an incident of the warm-up would take the fault's alerts
    await waitFor(
      'the warm-up to leave no incident open',
      async () => (await openIncidents(kafka, loop.prefix)).length === 0,
      180_000,
      2_000,
    );
    const since = Date.now();
    await injectFault(scenario('crash', 'payment'), loop.shop, loop.executor);
    const healing = await awaitHealing(kafka, loop.svc('payment'), since, 240_000);
    expect(healing.rightCauseAt).toBeDefined();
    expect(healing.plan.faultClass).toBe('crash');
    expectTreatment(healing.plan.steps, 'crash', loop.svc('payment'));
    expect(healing.otherPlans).toEqual([]);
    expectTrail(healing);
    expect(healing.audit.find((e) => e.type === 'verdict')?.detail['verdict']).toBe('allow');
    const instances = await liveInstances('payment', loop.shop);
    expect(instances.some((i) => i.healthy)).toBe(true);
    // the warm-up wait (up to 180 s) and the healing (up to 240 s)
  }, 480_000);

  it('rolls back a bad deploy: traced to it, healed behind the guardrails, verified, audited', async () => {
    // the shop must serve again, and the crash's incident be over, before the next fault
    await waitFor('the shop to serve again', async () => loop.load.report().p99Ms < 2_000, 60_000);
    await waitFor(
      "the crash's incident to resolve",
      async () => (await openIncidents(kafka, loop.prefix)).length === 0,
      180_000,
      2_000,
    );
    const since = Date.now();
    await injectFault(scenario('bad-deploy', 'checkout'), loop.shop, loop.executor);
    const healing = await awaitHealing(kafka, loop.svc('checkout'), since, 240_000);
    expect(healing.rightCauseAt).toBeDefined();
    expect(healing.plan.faultClass).toBe('bad-deploy');
    expectTreatment(healing.plan.steps, 'bad-deploy', loop.svc('checkout'));
    expect(healing.otherPlans).toEqual([]);
    expectTrail(healing);
    const instances = await liveInstances('checkout', loop.shop);
    expect(instances.map((i) => i.version)).toEqual(instances.map(() => 'v1'));
    expect(instances.every((i) => i.healthy)).toBe(true);
  }, 540_000);
});
