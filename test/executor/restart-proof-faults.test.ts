import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionCatalog, type TargetState } from '@vigil/action-catalog';
import type { ActionName } from '@vigil/contracts';
import {
  scenario,
  shopFromSource,
  shopProcessConfig,
  shopProcessTimings,
  type AnyFaultKind,
} from '@vigil/demo-shop';
import { callInstance, injectFault, type LoadSpike } from '@vigil/demo-shop-client';
import { LocalProcessAdapter, type StepResult } from '@vigil/executor-adapters';
import { newRunId } from '../support/kafka-suite';
import { testKafkaBrokers } from '../support/kafka-test-kit';
import { projectRoot } from '../support/project-root';
import { waitFor } from '../support/wait-for';

/**
 * One fault per place a fault is held outside the process (config, state, release, dependency,
 * capacity), on real shop instances run by the local-process adapter: injected as `vigil chaos`
 * does, still there after a restart, cured by its catalog treatment, and back with the inverse
 * where the catalog has one.
 */
const runId = newRunId();
const prefix = `x${runId}-`;
// far from the demo's ports (4200-4299) and from other suites
const portOffset = 31_000;
const at = { prefix, portOffset };
const dataRoot = mkdtempSync(join(tmpdir(), 'vigil-restart-proof-'));
const services = ['catalog', 'catalog-db', 'cache', 'currency'];
const catalog = `${prefix}catalog`;

const shop = shopProcessConfig({
  ...shopFromSource(projectRoot),
  env: { KAFKA_BROKERS: testKafkaBrokers() },
  prefix,
  portOffset,
});
const adapter = new LocalProcessAdapter({
  services: Object.fromEntries(
    services.map((name) => [
      `${prefix}${name}`,
      { ...shop[`${prefix}${name}`], dataDir: join(dataRoot, name) },
    ]),
  ),
  // a restart of a bad release waits for a health that never comes: not for long here
  timings: { ...shopProcessTimings, healthTimeoutMs: 5_000 },
});

let seq = 0;
async function step(
  action: ActionName,
  params: Record<string, unknown>,
  target = catalog,
): Promise<StepResult> {
  seq += 1;
  return adapter.apply({
    planId: `plan-${runId}`,
    stepId: `s${seq}`,
    action,
    target,
    params,
    idempotencyKey: `plan-${runId}/s${seq}`,
    dryRun: false,
  });
}

/** 20 requests sent at once over the instances of a service: the share that fail, the median time. */
async function sample(
  service: string,
  route: string,
): Promise<{ failing: number; medianMs: number }> {
  const ports = adapter.instances(`${prefix}${service}`).map((i) => i.port);
  const answers = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const started = Date.now();
      const answer = await callInstance(ports[i % ports.length] as number, 'GET', `/api/${route}`);
      return { ok: !!answer && answer.status < 300, ms: Date.now() - started };
    }),
  );
  const times = answers.map((a) => a.ms).sort((a, b) => a - b);
  return {
    failing: answers.filter((a) => !a.ok).length / answers.length,
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
  };
}

/** Failing a good share, or slow for most. */
const broken = (service: string, route: string) => async () => {
  const { failing, medianMs } = await sample(service, route);
  return failing >= 0.3 || medianMs >= 500;
};
const healed = (service: string, route: string) => async () => {
  const { failing, medianMs } = await sample(service, route);
  return failing === 0 && medianMs < 300;
};

async function inject(fault: AnyFaultKind, service: string): Promise<void> {
  await injectFault(scenario(fault, service), at, { url: 'http://127.0.0.1:1' });
}

/** New processes for every instance (a bad release's never turn healthy: the step fails then). */
async function restart(target = catalog): Promise<void> {
  const pids = adapter.instances(target).map((i) => i.pid);
  await step('restart', { batchSize: 1 }, target);
  const now = adapter.instances(target);
  expect(now.map((i) => i.pid)).not.toEqual(pids);
  expect(now.every((i) => i.alive)).toBe(true);
}

/** Broken now, still broken after a restart (new processes read the same files). */
async function brokenThroughRestart(service: string, route: string): Promise<void> {
  await waitFor(`${service} broken`, broken(service, route), 10_000);
  await restart(`${prefix}${service}`);
  await waitFor(`${service} still broken after a restart`, broken(service, route), 10_000);
}

beforeAll(async () => {
  await adapter.start();
  await waitFor('catalog serves', healed('catalog', 'list'), 30_000);
}, 300_000);

afterAll(async () => {
  await adapter.shutdown();
  rmSync(dataRoot, { recursive: true, force: true });
});

describe('faults a restart cannot cure, and the treatments that do', () => {
  it('config: a timeout too low survives a restart; rollback-config cures it, its inverse brings it back', async () => {
    await inject('timeout-too-low', 'catalog');
    await brokenThroughRestart('catalog', 'list');
    const before = await adapter.describe(catalog);
    expect(before.configVersion).toBe(2);
    expect(await step('rollback-config', {})).toMatchObject({ outcome: 'applied' });
    await waitFor('catalog healed by the config rollback', healed('catalog', 'list'), 10_000);
    // the inverse the catalog gives goes forward to the bad version again: it is an inverse
    expect(await step('rollback-config', { toVersion: 2 })).toMatchObject({ outcome: 'applied' });
    await waitFor('catalog broken again by the inverse', broken('catalog', 'list'), 10_000);
    await step('rollback-config', { toVersion: 1 });
    await waitFor('catalog healed again', healed('catalog', 'list'), 10_000);
  });

  it('state: a full volume and a stuck lock survive a restart; free-disk and release-lock cure them', async () => {
    await inject('disk-full', 'catalog');
    await brokenThroughRestart('catalog', 'list');
    expect(await step('free-disk', {})).toMatchObject({ outcome: 'applied' });
    await waitFor('catalog healed by freeing its disk', healed('catalog', 'list'), 10_000);

    await inject('stuck-lock', 'catalog');
    await brokenThroughRestart('catalog', 'list');
    expect(await step('release-lock', { lock: 'catalog-writer' })).toMatchObject({
      outcome: 'applied',
    });
    await waitFor('catalog healed by releasing the lock', healed('catalog', 'list'), 10_000);
  });

  it('state: a poisoned cache key survives a restart of the cache; clear-cache-key cures it', async () => {
    await inject('poisoned-cache-key', 'cache');
    await brokenThroughRestart('cache', 'get');
    expect(await step('clear-cache-key', { key: 'cart:hot' }, `${prefix}cache`)).toMatchObject({
      outcome: 'applied',
    });
    await waitFor('cache healed', healed('cache', 'get'), 10_000);
  });

  it('dependency: expired credentials survive a restart; rotate-credentials cures them', async () => {
    await inject('expired-credentials', 'catalog');
    await brokenThroughRestart('catalog', 'list');
    expect(await step('rotate-credentials', { dependency: 'catalog-db' })).toMatchObject({
      outcome: 'applied',
    });
    await waitFor('catalog healed by new credentials', healed('catalog', 'list'), 10_000);
  });

  it('dependency: a degraded primary survives a restart of the store; failover cures it, its inverse brings it back', async () => {
    const db = `${prefix}catalog-db`;
    await inject('degraded-dependency', 'catalog-db');
    await brokenThroughRestart('catalog-db', 'query');
    const before = await adapter.describe(db);
    expect(before.primary).toBe('catalog-db-a');
    expect(await step('failover', {}, db)).toMatchObject({ outcome: 'applied' });
    await waitFor('catalog-db healed by the failover', healed('catalog-db', 'query'), 10_000);
    const inverse = actionCatalog.failover.inverse({}, before);
    expect(inverse).toEqual({ action: 'failover', params: { toReplica: 'catalog-db-a' } });
    await step('failover', inverse?.params ?? {}, db);
    await waitFor('catalog-db degraded again', broken('catalog-db', 'query'), 10_000);
    await step('failover', { toReplica: 'catalog-db-b' }, db);
    await waitFor('catalog-db healed again', healed('catalog-db', 'query'), 10_000);
  });

  it('release: a bad deploy survives a restart; rollback-deployment cures it, its inverse names the bad release', async () => {
    await adapter.deploy(catalog, 'v2');
    await brokenThroughRestart('catalog', 'list');
    expect(adapter.instances(catalog).map((i) => i.version)).toEqual(['v2']);
    const rollback = await step('rollback-deployment', {});
    expect(rollback).toMatchObject({ outcome: 'applied', after: { version: 'v1' } });
    await waitFor('catalog healed by the rollback', healed('catalog', 'list'), 10_000);
    // its inverse names the bad release it came from (going there again is the bad deploy above)
    expect(
      actionCatalog['rollback-deployment'].inverse({}, rollback.before as TargetState),
    ).toEqual({ action: 'rollback-deployment', params: { toVersion: 'v2' } });
  });

  it('capacity: a load spike survives a restart; scale cures it, scaling back brings it back', async () => {
    // a service that calls nobody: the spike is its own, not passed on to a store
    const currency = `${prefix}currency`;
    const report = await injectFault(scenario('load-spike', 'currency', 150), at, {
      url: 'http://127.0.0.1:1',
    });
    const spike = report.spike as LoadSpike;
    /** The share of the spike's requests that failed over the next two seconds. */
    const shed = async () => {
      const start = { ...spike.totals };
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const sent = spike.totals.sent - start.sent;
      return (spike.totals.failed - start.failed) / Math.max(1, sent);
    };
    try {
      await waitFor('currency over capacity', async () => (await shed()) > 0.2, 20_000);
      await restart(currency);
      await waitFor('currency still over capacity', async () => (await shed()) > 0.2, 20_000);
      expect(await step('scale', { replicas: 2 }, currency)).toMatchObject({ outcome: 'applied' });
      await waitFor('currency serves the spike on two', async () => (await shed()) < 0.02, 20_000);
      expect(await step('scale', { replicas: 1 }, currency)).toMatchObject({ outcome: 'applied' });
      await waitFor(
        'currency over capacity on one again',
        async () => (await shed()) > 0.2,
        20_000,
      );
    } finally {
      spike.stop();
    }
  });
});
