import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka, KafkaMessage } from 'kafkajs';
import {
  decodeEvent,
  Topics,
  type RemediationDecision,
  type RemediationExecution,
  type RemediationPlan,
} from '@vigil/contracts';
import { demoServiceEndpoints } from '@vigil/executor-adapters';
import { executorApp, tempFolder } from '../support/executor-app';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import { collectFromTopic } from '../support/kafka-test-kit';
import { projectRoot } from '../support/project-root';

const runId = newRunId();
const cart = `x${runId}-cart`;
const PORT = 3909;
const demoService = join(projectRoot, 'libs/executor-adapters/src/testing/demo-service.mjs');

function plan(planId: string, steps: RemediationPlan['steps']): RemediationPlan {
  return {
    schemaVersion: 1,
    planId,
    incidentId: `inc-${planId}`,
    createdAt: new Date().toISOString(),
    faultClass: 'crash',
    summary: 'test plan',
    steps,
    provenance: { model: 'test', promptHash: '0000', fallbackUsed: true },
  };
}

function approve(planId: string, role: 'responder' | 'approver'): RemediationDecision {
  return {
    schemaVersion: 1,
    decisionId: `d-${planId}-${role}`,
    planId,
    decision: 'approve',
    by: { user: `alice-${role}`, role },
    via: 'api',
    at: new Date().toISOString(),
  };
}

async function trail(kafka: Kafka, planId: string, last: RemediationExecution['type']) {
  const messages = await collectFromTopic(
    kafka,
    Topics.remediationExecutions.name,
    (m) => m.key?.toString() === planId,
    (kept) => kept.some((m) => decode(m.value).type === last),
    30_000,
  );
  const events = messages.map((m) => decode(m.value));
  if (process.env.DEBUG_EXECUTOR)
    console.log(
      JSON.stringify(
        events.map((e) => [e.type, e.stepId, e.detail]),
        null,
        1,
      ),
    );
  return events;
}

function decode(value: Buffer | null): RemediationExecution {
  const decoded = decodeEvent(Topics.remediationExecutions, value);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value;
}

/** A config version of the service's data dir made current, as a config pipeline writes it. */
function writeConfig(dir: string, version: number, timeoutMs: number): void {
  const config = JSON.stringify({ version, timeoutMs });
  mkdirSync(join(dir, 'config', 'versions'), { recursive: true });
  writeFileSync(join(dir, 'config', 'versions', `${version}.json`), config);
  writeFileSync(join(dir, 'config', 'current.json'), config);
}

/** `version:kind` of a config change told on the topology topic. */
function configOf(message: KafkaMessage): string {
  const event = decodeEvent(Topics.topology, message.value);
  if (!event.ok || event.value.op !== 'entity.upsert') return 'undecodable';
  const { configVersion, configChangeKind } = event.value.entity.properties;
  return `${String(configVersion)}:${String(configChangeKind)}`;
}

/** The JSON answer of `path` from each instance that answers on `ports`. */
async function answers<T>(ports: number[], path: string): Promise<T[]> {
  const found: T[] = [];
  for (const port of ports) {
    const response = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined);
    if (response?.ok) found.push((await response.json()) as T);
  }
  return found;
}

const pids = async (ports: number[]) =>
  (await answers<{ pid: number }>(ports, '/healthz')).map((a) => a.pid);

/** The version each instance answering on `ports` runs. */
const versions = async (ports: number[]) =>
  (await answers<{ version: string }>(ports, '/admin/stats')).map((a) => a.version);

describe('executor: guarded steps against real local processes, audited', () => {
  let suite: KafkaSuite;
  let dataDir = '';
  const ports = [47400, 47401, 47402, 47403, 47404];

  beforeAll(async () => {
    suite = await KafkaSuite.open(`x${runId}-`);
    await suite.addServices([cart]);
    const folder = tempFolder('vigil-executor-');
    // cart's config, as a config pipeline keeps it: version 1 is current when the executor starts
    writeConfig(folder.path('cart-data'), 1, 5000);
    const adapters = {
      localProcess: {
        stateFile: folder.path('applied-keys.jsonl'),
        services: {
          [cart]: {
            versions: [
              { version: 'v1', command: process.execPath, args: [demoService] },
              // a release that is up and healthy, but slow: only a latency check tells
              {
                version: 'v2',
                command: process.execPath,
                args: [demoService],
                env: { LATENCY_MS: '1500' },
              },
            ],
            initialVersion: 'v1',
            initialReplicas: 3,
            ports: { from: ports[0], to: ports[ports.length - 1] },
            endpoints: demoServiceEndpoints,
            dataDir: folder.path('cart-data'),
          },
        },
      },
    };
    dataDir = folder.path('cart-data');
    await suite.startConsumer(
      executorApp({
        port: PORT,
        group: `vigil-executor-it-${runId}`,
        adaptersFile: folder.write('adapters.json', JSON.stringify(adapters)),
        verifyDeadlineMs: 4000,
        env: { EXECUTOR_CONFIG_WATCH_INTERVAL_MS: '500' },
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await suite.close();
  });

  it('runs an approved restart: dry-run, approval, real restart, verification, every step audited', async () => {
    const before = await pids(ports);
    expect(before).toHaveLength(3);
    const planId = `plan-${runId}-restart`;
    await suite.publisher.publish(
      Topics.remediationPlans,
      plan(planId, [
        {
          stepId: 's1',
          action: 'restart',
          target: cart,
          params: { batchSize: 1 },
          verification: ['healthy-instances'],
        },
      ]),
    );
    await suite.publisher.publish(Topics.remediationDecisions, approve(planId, 'responder'));
    const events = await trail(suite.kafka, planId, 'plan-completed');
    const types = events.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'verdict',
        'step-started',
        'step-succeeded',
        'verification-passed',
        'plan-completed',
      ]),
    );
    expect(types.filter((t) => t === 'step-succeeded').length).toBeGreaterThanOrEqual(2); // dry-run, then live
    const after = await pids(ports);
    expect(after).toHaveLength(3);
    expect(after.filter((pid) => before.includes(pid))).toHaveLength(0);
  }, 150_000);

  it('rolls back a step whose verification fails, and says so on the audit trail', async () => {
    const planId = `plan-${runId}-bad`;
    await suite.publisher.publish(
      Topics.remediationPlans,
      plan(planId, [
        {
          stepId: 's1',
          action: 'rollback-deployment',
          target: cart,
          params: { toVersion: 'v2' },
          verification: ['healthy-instances', 'latency-below'],
        },
      ]),
    );
    await suite.publisher.publish(Topics.remediationDecisions, approve(planId, 'approver'));
    const events = await trail(suite.kafka, planId, 'plan-aborted');
    const types = events.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'verification-failed',
        'rollback-started',
        'rollback-finished',
        'plan-aborted',
      ]),
    );
    expect(types).not.toContain('step-failed');
    // back on v1: every instance healthy and fast again. The instances run on the free ports of
    // the range, not necessarily the first (a port still held when the suite began is skipped)
    expect(await pids(ports)).toHaveLength(3);
    expect(await versions(ports)).toEqual(['v1', 'v1', 'v1']);
  }, 150_000);

  it('tells the graph when someone else makes a new config current, and a plan that puts one back', async () => {
    const configEvents = (enough: (versions: string[]) => boolean) =>
      collectFromTopic(
        suite.kafka,
        Topics.topology.name,
        (m) => m.key?.toString() === cart && (m.value?.toString() ?? '').includes('configVersion'),
        (kept) => enough(kept.map(configOf)),
        60_000,
      );
    // a pipeline (here: the test) makes version 2 current: a change, told once
    writeConfig(dataDir, 2, 5);
    await configEvents((versions) => versions.includes('2:change'));

    const planId = `plan-${runId}-config`;
    await suite.publisher.publish(
      Topics.remediationPlans,
      plan(planId, [
        {
          stepId: 's1',
          action: 'rollback-config',
          target: cart,
          params: {},
          verification: ['healthy-instances'],
        },
      ]),
    );
    await suite.publisher.publish(Topics.remediationDecisions, approve(planId, 'approver'));
    await trail(suite.kafka, planId, 'plan-completed');
    const told = (await configEvents((versions) => versions.includes('1:rollback'))).map(configOf);
    // the executor's own rollback is told as a rollback, not again as somebody's change
    expect(told.filter((v) => v.startsWith('1:'))).toEqual(['1:rollback']);
    expect(told.filter((v) => v === '2:change')).toHaveLength(1);
  }, 150_000);
});
