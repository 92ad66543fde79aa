import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  decodeEvent,
  Topics,
  type IncidentAction,
  type RemediationDecision,
  type RemediationExecution,
  type RemediationPlan,
} from '@vigil/contracts';
import { type StepRequest, type WebhookCall } from '@vigil/executor-adapters';
import { signDecision } from '@vigil/remediation-engine';
import { executorApp, tempFolder } from '../support/executor-app';
import { KafkaSuite, newRunId, type ConsumerApp } from '../support/kafka-suite';
import { collectFromTopic } from '../support/kafka-test-kit';
import { LocalReceiver } from '../support/local-receiver';
import type { ServiceProcess } from '../support/service-process';

/**
 * The security suite: an executor on real Kafka that holds the console's public key. Each attack
 * must be refused with its reason on vigil.remediation.executions.v1, and none may reach the
 * platform (the webhook receiver below records every step it is asked to do).
 */
const runId = newRunId();
const target = (name: string) => `s${runId}-${name}`;
const SECRET = 'security-test-secret-0123456789';
const PORT = 3913;

const consoleKey = generateKeyPairSync('ed25519');
const strangerKey = generateKeyPairSync('ed25519');
const signer = { keyId: 'console', privateKey: consoleKey.privateKey };

/** The platform: declares one flag per service, answers well, remembers every step. */
class Receiver extends LocalReceiver {
  readonly steps: StepRequest[] = [];

  protected handle(_headers: unknown, body: string, res: ServerResponse): void {
    const call = JSON.parse(body) as WebhookCall;
    res.writeHead(200, { 'content-type': 'application/json' });
    if (call.type === 'describe')
      return void res.end(
        JSON.stringify({ replicas: 4, version: 'v1', flags: { 'new-checkout': true } }),
      );
    if (call.type === 'verify')
      return void res.end(JSON.stringify({ passed: true, detail: 'ready', observed: 4 }));
    this.steps.push(call.request);
    const outcome = call.request.dryRun ? 'would-apply' : 'applied';
    res.end(JSON.stringify({ outcome, detail: call.request.action }));
  }

  live(planId: string): StepRequest[] {
    return this.steps.filter((s) => s.planId === planId && !s.dryRun);
  }
}

function plan(
  name: string,
  steps: RemediationPlan['steps'],
  createdAt = new Date().toISOString(),
): RemediationPlan {
  return {
    schemaVersion: 1,
    planId: `plan-${runId}-${name}`,
    incidentId: `inc-${runId}-${name}`,
    createdAt,
    faultClass: 'crash',
    summary: `security suite: ${name}`,
    steps,
    provenance: { model: 'test', promptHash: '0000', fallbackUsed: true },
  };
}

const restart = (service: string, batchSize = 1): RemediationPlan['steps'] => [
  {
    stepId: 's1',
    action: 'restart',
    target: target(service),
    params: { batchSize },
    verification: ['healthy-instances'],
  },
];

function approval(planId: string): RemediationDecision {
  return {
    schemaVersion: 1,
    decisionId: `d-${planId}-${randomUUID().slice(0, 6)}`,
    planId,
    decision: 'approve',
    by: { user: 'alice', role: 'approver' },
    via: 'console',
    at: new Date().toISOString(),
  };
}

function decode(value: Buffer | null): RemediationExecution {
  const decoded = decodeEvent(Topics.remediationExecutions, value);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value;
}

describe('executor security: what must be refused, with the reason on the audit trail', () => {
  let suite: KafkaSuite;
  let executor: ServiceProcess | undefined;
  let app: ConsumerApp;
  const receiver = new Receiver();

  /** The plan's audit events, once one of them satisfies `until`. */
  async function trail(
    planId: string,
    ...until: Array<(e: RemediationExecution) => boolean>
  ): Promise<RemediationExecution[]> {
    const messages = await collectFromTopic(
      suite.kafka,
      Topics.remediationExecutions.name,
      (m) => m.key?.toString() === planId,
      (kept) => until.every((u) => kept.some((m) => u(decode(m.value)))),
      60_000,
    );
    return messages.map((m) => decode(m.value));
  }

  beforeAll(async () => {
    suite = await KafkaSuite.open(`s${runId}-`);
    const services = ['forged', 'replayed', 'altered', 'resolved', 'expired', 'flag', 'restart'];
    await suite.addServices(services.map(target));
    await receiver.start();
    const folder = tempFolder('vigil-executor-security-');
    const url = `http://127.0.0.1:${receiver.port}/`;
    // only this run's targets: plans of other runs on the shared topics are not this executor's
    const urls = Object.fromEntries(services.map((name) => [target(name), url]));
    const adapters = { webhook: { secret: SECRET, urls } };
    const publicKey = consoleKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    app = executorApp({
      port: PORT,
      group: `vigil-executor-security-it-${runId}`,
      adaptersFile: folder.write('adapters.json', JSON.stringify(adapters)),
      verifyDeadlineMs: 4000,
      env: { EXECUTOR_DECISION_KEYS: `console=${folder.write('console.pub.pem', publicKey)}` },
    });
    executor = await suite.startConsumer(app);
  }, 120_000);

  afterAll(async () => {
    await suite.close();
    await receiver.stop();
  });

  it('refuses a forged decision (signed by a key it does not know as the console)', async () => {
    const p = plan('forged', restart('forged'));
    await suite.publisher.publish(Topics.remediationPlans, p);
    const forged = signDecision(approval(p.planId), p, {
      keyId: 'console',
      privateKey: strangerKey.privateKey,
    });
    await suite.publisher.publish(Topics.remediationDecisions, forged);
    const events = await trail(p.planId, (e) => e.type === 'decision-refused');
    expect(events.find((e) => e.type === 'decision-refused')?.detail).toMatchObject({
      code: 'bad-signature',
      decisionId: forged.decisionId,
    });
    expect(receiver.live(p.planId)).toEqual([]);
  }, 90_000);

  it('refuses a decision made on one plan and replayed onto another (content hash)', async () => {
    const seen = plan('seen', restart('replayed'));
    const other = plan('replayed', restart('replayed'));
    await suite.publisher.publish(Topics.remediationPlans, other);
    // a real console signature, but over the plan the person saw, not this one
    const replayed = signDecision({ ...approval(other.planId) }, seen, signer);
    await suite.publisher.publish(Topics.remediationDecisions, replayed);
    const events = await trail(other.planId, (e) => e.type === 'decision-refused');
    expect(events.find((e) => e.type === 'decision-refused')?.detail).toMatchObject({
      code: 'content-mismatch',
    });
    expect(receiver.live(other.planId)).toEqual([]);
  }, 90_000);

  it('refuses an altered plan under a known id, and runs the first version only', async () => {
    const first = plan('altered', restart('altered', 1));
    const altered = { ...first, steps: restart('altered', 4) };
    await suite.publisher.publish(Topics.remediationPlans, first);
    await suite.publisher.publish(Topics.remediationPlans, altered);
    await suite.publisher.publish(
      Topics.remediationDecisions,
      signDecision(approval(first.planId), first, signer),
    );
    const events = await trail(
      first.planId,
      (e) => e.type === 'plan-completed',
      (e) => e.type === 'plan-refused',
    );
    expect(events.find((e) => e.type === 'plan-refused')?.detail).toMatchObject({
      code: 'altered-plan',
    });
    expect(receiver.live(first.planId).map((s) => s.params)).toEqual([{ batchSize: 1 }]);
  }, 90_000);

  it('keeps the first version of a plan id after a restart, and refuses the other once', async () => {
    const first = plan('restart', restart('restart', 1));
    await suite.publisher.publish(Topics.remediationPlans, first);
    await suite.publisher.publish(Topics.remediationPlans, {
      ...first,
      steps: restart('restart', 4),
    });
    await trail(first.planId, (e) => e.type === 'plan-refused');
    await executor?.stop();
    executor = await suite.startConsumer({ ...app, keepOffsets: true });
    // signed over the first version: it counts only if the executor still holds that one
    const decision = signDecision(approval(first.planId), first, signer);
    await suite.publisher.publish(Topics.remediationDecisions, decision);
    const events = await trail(first.planId, (e) => e.type === 'plan-completed');
    expect(events.filter((e) => e.type === 'plan-refused')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'decision-refused')).toEqual([]);
    expect(receiver.live(first.planId).map((s) => s.params)).toEqual([{ batchSize: 1 }]);
  }, 120_000);

  it('ends a plan for a resolved incident without a step', async () => {
    const p = plan('resolved', restart('resolved'));
    const resolve: IncidentAction = {
      schemaVersion: 1,
      actionId: `a-${runId}`,
      incidentId: p.incidentId,
      action: 'resolve',
      by: { user: 'rita', role: 'responder' },
      via: 'console',
      at: new Date().toISOString(),
    };
    await suite.publisher.publish(Topics.incidentActions, resolve);
    await suite.publisher.publish(Topics.remediationPlans, p);
    const events = await trail(p.planId, (e) => e.type === 'plan-aborted');
    expect(events.find((e) => e.type === 'plan-aborted')?.detail).toMatchObject({
      cause: 'incident-closed',
      outcome: 'none',
    });
    expect(receiver.steps.filter((s) => s.planId === p.planId)).toEqual([]);
  }, 90_000);

  it('ends an expired plan without a step', async () => {
    const drafted = new Date(Date.now() - 31 * 60_000).toISOString();
    const p = plan('expired', restart('expired'), drafted);
    await suite.publisher.publish(Topics.remediationPlans, p);
    await suite.publisher.publish(
      Topics.remediationDecisions,
      signDecision(approval(p.planId), p, signer),
    );
    const events = await trail(p.planId, (e) => e.type === 'plan-aborted');
    expect(events.find((e) => e.type === 'plan-aborted')?.detail).toMatchObject({
      cause: 'expired',
    });
    expect(receiver.steps.filter((s) => s.planId === p.planId)).toEqual([]);
  }, 90_000);

  it('refuses a plan that toggles a flag its target does not declare', async () => {
    const p = plan('flag', [
      {
        stepId: 's1',
        action: 'toggle-feature-flag',
        target: target('flag'),
        params: { flag: 'skip-auth', enabled: true },
        verification: [],
      },
    ]);
    await suite.publisher.publish(Topics.remediationPlans, p);
    await suite.publisher.publish(
      Topics.remediationDecisions,
      signDecision(approval(p.planId), p, signer),
    );
    const events = await trail(p.planId, (e) => e.type === 'plan-aborted');
    const end = events.find((e) => e.type === 'plan-aborted');
    expect(end?.detail).toMatchObject({ cause: 'plan-refused' });
    expect(String(end?.detail['reason'])).toContain('undeclared-flag');
    expect(receiver.steps.filter((s) => s.planId === p.planId)).toEqual([]);
  }, 90_000);
});
