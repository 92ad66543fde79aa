import {
  decodeEvent,
  Topics,
  type RemediationExecution,
  type RemediationPlan,
  type ServiceLease,
} from '@vigil/contracts';
import { executorApp, tempFolder } from '../support/executor-app';
import { KafkaSuite, newRunId, type ConsumerApp } from '../support/kafka-suite';
import { collectFromTopic } from '../support/kafka-test-kit';
import { WebhookInfrastructure } from '../support/webhook-infrastructure';
import type { ServiceProcess } from '../support/service-process';

const runId = newRunId();
// One service per plan: the production policy's blast radius counts a service's recent restarts.
const target = (n: number) => `f${runId}-api${n}`;
const SECRET = 'failover-test-secret-0123456789';

function plan(n: number): RemediationPlan {
  return {
    schemaVersion: 1,
    planId: `plan-${runId}-${n}`,
    incidentId: `inc-${runId}-${n}`,
    createdAt: new Date().toISOString(),
    faultClass: 'crash',
    summary: `restart ${target(n)}`,
    steps: [
      {
        stepId: 's1',
        action: 'restart',
        target: target(n),
        params: { batchSize: 1 },
        verification: ['healthy-instances'],
      },
    ],
    provenance: { model: 'test', promptHash: '0000', fallbackUsed: true },
  };
}

describe('two executors for one environment: one active, one standing by', () => {
  let suite: KafkaSuite;
  const receiver = new WebhookInfrastructure(SECRET);
  let first: ServiceProcess;
  let second: ServiceProcess;
  let adaptersFile: string;
  const instance = (port: number): ConsumerApp =>
    executorApp({
      port,
      group: `vigil-executor-failover-it-${runId}`,
      adaptersFile,
      verifyDeadlineMs: 5000,
      env: { EXECUTOR_LEASE_SESSION_TIMEOUT_MS: '6000' },
    });

  const leases = (count: number) =>
    collectFromTopic(
      suite.kafka,
      Topics.serviceLeases.name,
      // this run's two instances (other runs hold the production lease of their own groups)
      (m) => [first, second].some((p) => decodeLease(m.value).holder.includes(`/${p.child.pid}/`)),
      (kept) => kept.length >= count,
      90_000,
    ).then((kept) => kept.map((m) => decodeLease(m.value)));

  const completed = (planId: string) =>
    collectFromTopic(
      suite.kafka,
      Topics.remediationExecutions.name,
      (m) => m.key?.toString() === planId,
      (kept) => kept.some((m) => decodeExecution(m.value).type === 'plan-completed'),
      90_000,
    );

  async function approveAndRun(n: number): Promise<void> {
    const p = plan(n);
    await suite.publisher.publish(Topics.remediationPlans, p);
    await suite.publisher.publish(Topics.remediationDecisions, {
      schemaVersion: 1,
      decisionId: `d-${runId}-${n}`,
      planId: p.planId,
      decision: 'approve',
      by: { user: 'bob', role: 'responder' },
      via: 'api',
      at: new Date().toISOString(),
    });
    await completed(p.planId);
  }

  beforeAll(async () => {
    suite = await KafkaSuite.open(`f${runId}-`);
    await suite.addServices([1, 2, 3, 4].map(target));
    await receiver.start();
    const adapters = {
      webhook: {
        secret: SECRET,
        defaultUrl: `http://127.0.0.1:${receiver.port}/`,
        timeoutMs: 30_000,
      },
    };
    adaptersFile = tempFolder('vigil-executor-failover-').write(
      'adapters.json',
      JSON.stringify(adapters),
    );
    first = await suite.startConsumer(instance(3921));
    const standby = instance(3922);
    second = await suite.startApp(standby.app, standby.env, standby.port);
  }, 180_000);

  afterAll(async () => {
    await suite.close();
    await receiver.stop();
  });

  it('runs plans on the holder only, and the standby takes over when the holder dies', async () => {
    const [held] = await leases(1);
    expect(held?.holder).toContain(`/${first.child.pid}/`);

    // Both up: every plan runs once, by the holder (the standby reads no plans at all).
    for (const n of [1, 2, 3]) await approveAndRun(n);
    expect([...receiver.applied.values()]).toEqual([1, 1, 1]);

    await first.kill();
    const after = await leases(2);
    expect(after[1]?.holder).toContain(`/${second.child.pid}/`);

    // The new holder goes on from the shared offsets: new plans run, old ones are not run again.
    await approveAndRun(4);
    expect(receiver.applied.size).toBe(4);
    expect([...receiver.applied.values()].every((times) => times === 1)).toBe(true);
  }, 240_000);
});

function decodeLease(value: Buffer | null): ServiceLease {
  const decoded = decodeEvent(Topics.serviceLeases, value);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value;
}

function decodeExecution(value: Buffer | null): RemediationExecution {
  const decoded = decodeEvent(Topics.remediationExecutions, value);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value;
}
