import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import {
  decodeEvent,
  Topics,
  type RemediationExecution,
  type RemediationPlan,
} from '@vigil/contracts';
import {
  signatureHeader,
  timestampHeader,
  verifyWebhookSignature,
  type WebhookCall,
} from '@vigil/executor-adapters';
import { GraphTestScope } from '@vigil/graph';
import type { EventPublisher } from '@vigil/messaging';
import {
  collectFromTopic,
  testKafka,
  testPublisher,
  waitForGroupStable,
} from '../support/kafka-test-kit';
import { startGroupAtEnd } from '../support/group-offsets';
import { startService, type ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';

const runId = randomUUID().slice(0, 8);
const target = (name: string) => `k${runId}-${name}`;
const SECRET = 'crash-test-secret-0123456789';
const PORT = 3912;

/**
 * A webhook receiver standing in for the infrastructure: it applies each idempotency key once,
 * and holds the first verification of the first step until the test has killed the executor.
 */
class Receiver {
  readonly applied = new Map<string, number>();
  readonly verifications: string[] = [];
  holdFirstVerify = true;
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => void this.handle(req.headers, body, res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(
    headers: Record<string, string | string[] | undefined>,
    body: string,
    res: import('node:http').ServerResponse,
  ): Promise<void> {
    const signed = verifyWebhookSignature(
      SECRET,
      headers[timestampHeader] as string | undefined,
      body,
      headers[signatureHeader] as string | undefined,
      Date.now(),
      60_000,
    );
    if (!signed.ok) return void res.writeHead(401).end();
    const call = JSON.parse(body) as WebhookCall;
    res.writeHead(200, { 'content-type': 'application/json' });
    if (call.type === 'describe')
      return void res.end(
        JSON.stringify({ replicas: 4, version: 'v1', flags: { 'new-checkout': true } }),
      );
    if (call.type === 'verify') {
      this.verifications.push(`${call.request.target}:${call.request.kind}`);
      if (this.holdFirstVerify) return; // never answered: the executor dies waiting
      return void res.end(
        JSON.stringify({ passed: true, detail: 'all instances ready', observed: 4 }),
      );
    }
    const { request } = call;
    if (request.dryRun)
      return void res.end(JSON.stringify({ outcome: 'would-apply', detail: 'would do it' }));
    const times = this.applied.get(request.idempotencyKey) ?? 0;
    this.applied.set(request.idempotencyKey, times + 1);
    const outcome = times === 0 ? 'applied' : 'already-applied';
    res.end(JSON.stringify({ outcome, detail: `${request.action} ${request.target}` }));
  }
}

describe('executor killed in the middle of a plan', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let graph: GraphTestScope;
  const receiver = new Receiver();
  let env: Record<string, string>;
  let executor: ServiceProcess | undefined;
  const group = `vigil-executor-crash-it-${runId}`;

  beforeAll(async () => {
    kafka = testKafka();
    publisher = await testPublisher(kafka);
    graph = new GraphTestScope(`k${runId}-`);
    const repository = graph.topology;
    for (const name of ['api', 'web'])
      await repository.upsertEntity(
        { id: target(name), kind: 'service', properties: {} },
        Date.now(),
      );
    await receiver.start();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-executor-crash-'));
    const adapters = join(dir, 'adapters.json');
    writeFileSync(
      adapters,
      JSON.stringify({
        webhook: {
          secret: SECRET,
          defaultUrl: `http://127.0.0.1:${receiver.port}/`,
          timeoutMs: 60_000,
        },
      }),
    );
    env = {
      EXECUTOR_PORT: String(PORT),
      EXECUTOR_GROUP: group,
      EXECUTOR_ADAPTERS_FILE: adapters,
      EXECUTOR_VERIFY_DEADLINE_MS: '5000',
      LOG_LEVEL: 'warn',
    };
    await startGroupAtEnd(kafka, group);
    executor = await startService('executor', env, PORT);
    await waitForGroupStable(kafka, group);
  }, 120_000);

  afterAll(async () => {
    await executor?.stop();
    await receiver.stop();
    await publisher.disconnect();
    await graph.close();
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
    await publisher.publish(Topics.remediationPlans, plan);
    await publisher.publish(Topics.remediationDecisions, {
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
    receiver.holdFirstVerify = false;
    executor = await startService('executor', env, PORT);

    const messages = await collectFromTopic(
      kafka,
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
