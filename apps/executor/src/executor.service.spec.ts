import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { loadEnvConfig } from '@vigil/config';
import { Topics, type RemediationDecision, type RemediationPlan } from '@vigil/contracts';
import type { WebhookCall } from '@vigil/executor-adapters';
import { InMemoryTopologyRepository } from '@vigil/graph';
import { EventPublisher, InMemoryKafka } from '@vigil/messaging';
import { executorEnv } from './executor.config';
import { ExecutorService } from './executor.service';

const quiet: LoggerService = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The platform the executor acts on, behind the webhook adapter: records calls, answers well. */
async function startPlatform(): Promise<{ server: Server; url: string; calls: WebhookCall[] }> {
  const calls: WebhookCall[] = [];
  const answer = (call: WebhookCall): object => {
    switch (call.type) {
      case 'describe':
        return { replicas: 3, version: 'v1' };
      case 'verify':
        return { passed: true, detail: '3 of 3 instances healthy', observed: 3 };
      case 'step':
        return call.request.dryRun
          ? { outcome: 'would-apply', detail: 'would restart 3 instances' }
          : { outcome: 'applied', detail: 'restarted 3 instances' };
    }
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const call = JSON.parse(body) as WebhookCall;
      calls.push(call);
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer(call)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/vigil`, calls };
}

function restartPlan(planId: string): RemediationPlan {
  return {
    schemaVersion: 1,
    planId,
    incidentId: `inc-${planId}`,
    createdAt: new Date().toISOString(),
    faultClass: 'crash',
    summary: 'restart checkout',
    steps: [
      {
        stepId: 's1',
        action: 'restart',
        target: 'checkout',
        params: { batchSize: 1 },
        verification: ['healthy-instances'],
      },
    ],
    provenance: { model: 'spec', promptHash: '0000', fallbackUsed: true },
  };
}

function decide(planId: string, decision: RemediationDecision['decision']): RemediationDecision {
  return {
    schemaVersion: 1,
    decisionId: `d-${planId}-${decision}`,
    planId,
    decision,
    by: { user: 'alice', role: 'responder' },
    via: 'api',
    at: new Date().toISOString(),
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ExecutorService (plans and decisions in, guarded steps and their audit trail out)', () => {
  let kafka: InMemoryKafka;
  let service: ExecutorService;
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let dir: string;
  let topology: InMemoryTopologyRepository;
  let adaptersFile: string;

  /** A new executor on the same Kafka, platform and ledger folder: what a restart sees. */
  async function boot(env: Record<string, string> = {}): Promise<ExecutorService> {
    const settings = loadEnvConfig(
      executorEnv,
      {
        EXECUTOR_ADAPTERS_FILE: adaptersFile,
        EXECUTOR_VERIFY_DEADLINE_MS: '2000',
        EXECUTOR_LEDGER_DIR: join(dir, 'ledgers'),
        ...env,
      },
      () => undefined,
    );
    const started = new ExecutorService(
      settings,
      quiet,
      kafka.client,
      new EventPublisher(kafka.client),
      topology.repository,
    );
    await started.onApplicationBootstrap();
    return started;
  }

  const trail = (planId: string) =>
    kafka.published(Topics.remediationExecutions).filter((e) => e.planId === planId);
  const liveSteps = () => platform.calls.filter((c) => c.type === 'step' && !c.request.dryRun);

  beforeEach(async () => {
    kafka = new InMemoryKafka();
    platform = await startPlatform();
    dir = mkdtempSync(join(tmpdir(), 'vigil-executor-spec-'));
    adaptersFile = join(dir, 'adapters.json');
    writeFileSync(
      adaptersFile,
      JSON.stringify({
        webhook: { secret: 'executor-spec-secret-0123', defaultUrl: platform.url },
      }),
    );
    topology = new InMemoryTopologyRepository();
    await topology.upsertEntity({ id: 'checkout', kind: 'service', properties: { replicas: 3 } });
    service = await boot();
  });

  afterEach(async () => {
    await service.onApplicationShutdown();
    await new Promise((resolve) => platform.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs an approved plan: dry-run, the live step on the platform, verification, all audited', async () => {
    await kafka.send(Topics.remediationPlans, [restartPlan('p-ok')]);
    await kafka.send(Topics.remediationDecisions, [decide('p-ok', 'approve')]);
    await until('the plan to complete', () =>
      trail('p-ok').some((e) => e.type === 'plan-completed'),
    );

    expect(liveSteps()).toEqual([
      expect.objectContaining({
        request: expect.objectContaining({ action: 'restart', target: 'checkout', dryRun: false }),
      }),
    ]);
    // the dry-run went first
    const steps = platform.calls.flatMap((c) => (c.type === 'step' ? [c.request.dryRun] : []));
    expect(steps).toEqual([true, false]);
    const types = trail('p-ok').map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['verdict', 'step-started', 'step-succeeded', 'verification-passed']),
    );
    expect(types.indexOf('verification-passed')).toBeLessThan(types.indexOf('plan-completed'));
  });

  it('does not touch the platform for a rejected plan, and says on the audit trail that it ended', async () => {
    await kafka.send(Topics.remediationPlans, [restartPlan('p-no')]);
    await kafka.send(Topics.remediationDecisions, [decide('p-no', 'reject')]);
    await until('the plan to end', () => trail('p-no').some((e) => e.type === 'plan-aborted'));

    expect(liveSteps()).toEqual([]);
    expect(trail('p-no').map((e) => e.type)).not.toContain('step-succeeded');
  });

  it('ends a plan waiting for approval when the correlator resolves its incident', async () => {
    const plan = restartPlan('p-res');
    await kafka.send(Topics.remediationPlans, [plan]);
    await until('the plan to wait for approval', () =>
      trail('p-res').some((e) => e.type === 'verdict'),
    );
    const at = new Date().toISOString();
    await kafka.send(Topics.incidents, [
      {
        schemaVersion: 1,
        eventId: 'inc-p-res-resolved',
        incidentId: plan.incidentId,
        type: 'resolved',
        at,
        incident: {
          title: 'checkout down',
          severity: 'critical',
          status: 'resolved',
          services: ['checkout'],
          alertCount: 1,
          openedAt: at,
          updatedAt: at,
        },
      },
    ]);
    await until('the plan to end', () => trail('p-res').some((e) => e.type === 'plan-aborted'));
    expect(trail('p-res').find((e) => e.type === 'plan-aborted')?.detail).toMatchObject({
      cause: 'incident-closed',
      reason: `incident ${plan.incidentId} is resolved (resolved by the correlator: its alerts cleared): plan p-res no longer applies`,
    });
    // an approval that comes too late changes nothing
    await kafka.send(Topics.remediationDecisions, [decide('p-res', 'approve')]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(liveSteps()).toEqual([]);
  });

  it('refuses a change on a target under maintenance, with the guardrail reason', async () => {
    const now = Date.now();
    await kafka.send(Topics.alertPolicy, [
      {
        schemaVersion: 1,
        eventId: 'mw-checkout-created',
        type: 'maintenance.created',
        at: new Date(now).toISOString(),
        by: { user: 'alice' },
        via: 'console',
        window: {
          id: 'mw-checkout',
          matchers: [{ name: 'service', op: '=', value: 'checkout' }],
          mode: 'open-no-remediate',
          createdBy: 'alice',
          comment: 'database migration',
          schedule: {
            kind: 'once',
            startsAt: new Date(now - 60_000).toISOString(),
            endsAt: new Date(now + 3_600_000).toISOString(),
          },
        },
      },
    ]);
    await kafka.send(Topics.remediationPlans, [restartPlan('p-mw')]);
    await kafka.send(Topics.remediationDecisions, [decide('p-mw', 'approve')]);
    await until('the plan to end', () => trail('p-mw').some((e) => e.type === 'plan-aborted'));
    expect(liveSteps()).toEqual([]);
    expect(JSON.stringify(trail('p-mw'))).toContain(
      'target \\"checkout\\" is under maintenance window mw-checkout: only diagnostics may run',
    );
  });

  it('refuses a second plan under a known id with other content, once', async () => {
    const first = restartPlan('p-alt');
    const altered = { ...first, steps: [{ ...first.steps[0], params: { batchSize: 3 } }] };
    await kafka.send(Topics.remediationPlans, [first, altered, altered]);
    await until('the refusal', () => trail('p-alt').some((e) => e.type === 'plan-refused'));
    await kafka.send(Topics.remediationDecisions, [decide('p-alt', 'approve')]);
    await until('the plan to complete', () =>
      trail('p-alt').some((e) => e.type === 'plan-completed'),
    );
    expect(trail('p-alt').filter((e) => e.type === 'plan-refused')).toHaveLength(1);
    expect(liveSteps().map((c) => c.type === 'step' && c.request.params)).toEqual([
      { batchSize: 1 },
    ]);
  });

  it('still counts the steps run before a restart: a step over the rate limit is denied', async () => {
    await kafka.send(Topics.remediationPlans, [restartPlan('p-before')]);
    await kafka.send(Topics.remediationDecisions, [decide('p-before', 'approve')]);
    await until('the first plan to complete', () =>
      trail('p-before').some((e) => e.type === 'plan-completed'),
    );
    await service.onApplicationShutdown();
    // one change of checkout an hour: the restart before the crash used it up
    const policyFile = join(dir, 'policy.json');
    const oneAnHour = { perTarget: { max: 1, windowSeconds: 3600 } };
    writeFileSync(
      policyFile,
      JSON.stringify({ environments: { production: { rateLimits: oneAnHour } } }),
    );
    service = await boot({ EXECUTOR_POLICY_FILE: policyFile });

    await kafka.send(Topics.remediationPlans, [restartPlan('p-after')]);
    await kafka.send(Topics.remediationDecisions, [decide('p-after', 'approve')]);
    await until('the second plan to end', () =>
      trail('p-after').some((e) => e.type === 'plan-aborted'),
    );
    expect(JSON.stringify(trail('p-after'))).toContain('rate-limit-target');
    expect(liveSteps()).toHaveLength(1);
  });

  it('drives a plan again on a timer after its drive failed, with no other event coming', async () => {
    await service.onApplicationShutdown();
    service = await boot({ EXECUTOR_STALLED_RETRY_MS: '50' });
    const findEntity = topology.repository.findEntity.bind(topology.repository);
    let down = true;
    jest
      .spyOn(topology.repository, 'findEntity')
      .mockImplementation((id) =>
        down ? Promise.reject(new Error('neo4j unreachable')) : findEntity(id),
      );
    await kafka.send(Topics.remediationPlans, [restartPlan('p-stall')]);
    await kafka.send(Topics.remediationDecisions, [decide('p-stall', 'approve')]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(trail('p-stall')).toEqual([]);
    down = false;
    await until('the plan to complete', () =>
      trail('p-stall').some((e) => e.type === 'plan-completed'),
    );
    expect(liveSteps()).toHaveLength(1);
  });
});
