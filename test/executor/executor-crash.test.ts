import {
  decodeEvent,
  Topics,
  type RemediationExecution,
  type RemediationPlan,
} from '@vigil/contracts';
import { executorApp, tempFolder } from '../support/executor-app';
import { KafkaSuite, newRunId, type ConsumerApp } from '../support/kafka-suite';
import { collectFromTopic } from '../support/kafka-test-kit';
import { WebhookInfrastructure } from '../support/webhook-infrastructure';
import type { ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';

const runId = newRunId();
const target = (name: string) => `k${runId}-${name}`;
const SECRET = 'crash-test-secret-0123456789';
const PORT = 3912;

describe('executor killed in the middle of a plan', () => {
  let suite: KafkaSuite;
  // holds the first verification of the first step until the test has killed the executor
  const receiver = new WebhookInfrastructure(SECRET, { 'new-checkout': true });
  receiver.holdVerify = true;
  let app: ConsumerApp;
  let executor: ServiceProcess | undefined;

  beforeAll(async () => {
    suite = await KafkaSuite.open(`k${runId}-`);
    await suite.addServices([target('api'), target('web')]);
    await receiver.start();
    const adapters = {
      webhook: {
        secret: SECRET,
        defaultUrl: `http://127.0.0.1:${receiver.port}/`,
        timeoutMs: 60_000,
      },
    };
    app = executorApp({
      port: PORT,
      group: `vigil-executor-crash-it-${runId}`,
      adaptersFile: tempFolder('vigil-executor-crash-').write(
        'adapters.json',
        JSON.stringify(adapters),
      ),
      verifyDeadlineMs: 5000,
    });
    executor = await suite.startConsumer(app);
  }, 120_000);

  afterAll(async () => {
    await suite.close();
    await receiver.stop();
  });

  it('resumes: no completed step again, the pending verification not skipped', async () => {
    const planId = `plan-${runId}`;
    const plan: RemediationPlan = {
      schemaVersion: 1,
      planId,
      incidentId: `inc-${runId}`,
      createdAt: new Date().toISOString(),
      faultClass: 'errors',
      summary: 'restart api, then switch a flag on web',
      steps: [
        {
          stepId: 's1',
          action: 'restart',
          target: target('api'),
          params: { batchSize: 1 },
          verification: ['healthy-instances'],
        },
        {
          stepId: 's2',
          action: 'toggle-feature-flag',
          target: target('web'),
          params: { flag: 'new-checkout', enabled: false },
          verification: ['probe-succeeds'],
        },
      ],
      provenance: { model: 'test', promptHash: '0000', fallbackUsed: true },
    };
    await suite.publisher.publish(Topics.remediationPlans, plan);
    await suite.publisher.publish(Topics.remediationDecisions, {
      schemaVersion: 1,
      decisionId: `d-${runId}`,
      planId,
      decision: 'approve',
      by: { user: 'bob', role: 'responder' },
      via: 'api',
      at: new Date().toISOString(),
    });

    // s1 is applied and its verification is under way when the executor dies
    await waitFor('the first verification', () => receiver.verifications.length > 0, 60_000);
    await executor?.kill();
    receiver.holdVerify = false;
    executor = await suite.startApp(app.app, app.env, app.port);

    const messages = await collectFromTopic(
      suite.kafka,
      Topics.remediationExecutions.name,
      (m) => m.key?.toString() === planId,
      (kept) => kept.some((m) => decode(m.value).type === 'plan-completed'),
      120_000,
    );
    const events = [
      ...new Map(messages.map((m) => decode(m.value)).map((e) => [e.eventId, e])).values(),
    ];
    const live = (stepId: string) =>
      events.filter(
        (e) => e.type === 'step-succeeded' && e.stepId === stepId && e.detail.mode === 'live',
      );
    expect(live('s1')).toHaveLength(1);
    expect(live('s2')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'verification-passed').map((e) => e.stepId)).toEqual([
      's1',
      's2',
    ]);
    // s1 reached the infrastructure once; its verification was asked again after the restart
    expect([...receiver.applied.values()].every((times) => times === 1)).toBe(true);
    expect(receiver.applied.size).toBe(2);
    expect(
      receiver.verifications.filter((v) => v.startsWith(target('api'))).length,
    ).toBeGreaterThanOrEqual(2);
  }, 240_000);
});

function decode(value: Buffer | null): RemediationExecution {
  const decoded = decodeEvent(Topics.remediationExecutions, value);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value;
}
