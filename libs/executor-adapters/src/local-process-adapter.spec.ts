import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionName } from '@vigil/contracts';
import type { StepRequest } from './execution-adapter';
import { httpCall } from './http-client';
import { LocalProcessAdapter } from './local-process-adapter';
import { demoServiceEndpoints, type LocalServiceVersion } from './local-process-config';

const script = join(__dirname, 'testing', 'demo-service.mjs');
const version = (name: string, env: Record<string, string> = {}): LocalServiceVersion => ({
  version: name,
  command: process.execPath,
  args: [script, '--build', name],
  env,
});

let seq = 0;
const step = (
  action: ActionName,
  params: Record<string, unknown>,
  extra: Partial<StepRequest> = {},
): StepRequest => ({
  planId: 'plan-1',
  stepId: `step-${++seq}`,
  action,
  target: 'checkout',
  params,
  idempotencyKey: `plan-1/step-${seq}`,
  dryRun: false,
  ...extra,
});

function alive(pid: number | undefined): boolean {
  try {
    return pid !== undefined && process.kill(pid, 0);
  } catch {
    return false;
  }
}

async function health(
  port: number,
): Promise<{ status: number; pid: number; version: string; argv: string[] }> {
  const answer = await httpCall({
    method: 'GET',
    url: `http://127.0.0.1:${port}/healthz`,
    timeoutMs: 1000,
  });
  return { status: answer.status, ...JSON.parse(answer.text) };
}

describe('LocalProcessAdapter with real processes', () => {
  const adapter = new LocalProcessAdapter({
    services: {
      checkout: {
        versions: [version('v1'), version('v2'), version('v3-broken', { BROKEN: '1' })],
        initialVersion: 'v1',
        ports: { from: 47310, to: 47319 },
        endpoints: demoServiceEndpoints,
      },
      bare: { versions: [version('v1')], ports: { from: 47320, to: 47321 } },
    },
    // generous for a machine whose other cores run other test files: a healthy instance answers
    // at once, and only the broken version's restart waits the whole health timeout
    timings: {
      startupTimeoutMs: 10_000,
      healthTimeoutMs: 2_500,
      stopGraceMs: 1000,
      probeTimeoutMs: 2_000,
      pollIntervalMs: 30,
    },
  });
  const pids = () => adapter.instances('checkout').map((i) => i.pid);
  const verifyHealthy = () =>
    adapter.verify({ kind: 'healthy-instances', target: 'checkout', deadlineMs: 5_000 });

  beforeAll(() => adapter.start(), 15_000);
  afterAll(() => adapter.shutdown(), 15_000);

  it('starts the initial replica, which really answers on its port', async () => {
    const [one] = adapter.instances('checkout');
    expect(await health(one.port)).toMatchObject({ status: 200, pid: one.pid, version: 'v1' });
    expect(await adapter.describe('checkout')).toEqual({ replicas: 1, version: 'v1', flags: {} });
  });

  it('dry-runs a scale without touching processes', async () => {
    const before = pids();
    const result = await adapter.apply(step('scale', { replicas: 3 }, { dryRun: true }));
    expect(result).toMatchObject({
      outcome: 'would-apply',
      after: { replicas: 3 },
      before: { replicas: 1 },
    });
    expect(pids()).toEqual(before);
  });

  it('scales 1 -> 3 -> 2 with live processes on distinct ports', async () => {
    expect((await adapter.apply(step('scale', { replicas: 3 }))).outcome).toBe('applied');
    const three = adapter.instances('checkout');
    expect(new Set(three.map((i) => i.port)).size).toBe(3);
    for (const one of three) expect((await health(one.port)).pid).toBe(one.pid);
    expect((await adapter.apply(step('scale', { replicas: 2 }))).outcome).toBe('applied');
    const two = adapter.instances('checkout');
    expect(two).toHaveLength(2);
    expect(alive(three[2].pid)).toBe(false);
    expect(two.every((i) => alive(i.pid))).toBe(true);
  }, 15_000);

  it('restarts rolling: new pids on the same ports, healthy, and a re-sent key is not applied twice', async () => {
    const before = adapter.instances('checkout');
    const restart = step('restart', { batchSize: 1 });
    const result = await adapter.apply(restart);
    expect(result.outcome).toBe('applied');
    const after = adapter.instances('checkout');
    expect(after.map((i) => i.port)).toEqual(before.map((i) => i.port));
    expect(after.map((i) => i.pid).some((pid) => before.some((b) => b.pid === pid))).toBe(false);
    expect(await verifyHealthy()).toMatchObject({ passed: true, observed: 2 });
    const again = await adapter.apply(restart);
    expect(again.outcome).toBe('already-applied');
    expect(pids()).toEqual(after.map((i) => i.pid));
  }, 15_000);

  it('rolls back to the previous version by really running its command', async () => {
    await adapter.deploy('checkout', 'v2');
    expect(await adapter.describe('checkout')).toMatchObject({
      version: 'v2',
      previousVersion: 'v1',
    });
    const dry = await adapter.apply(step('rollback-deployment', {}, { dryRun: true }));
    expect(dry).toMatchObject({ outcome: 'would-apply', after: { version: 'v1' } });
    expect(adapter.instances('checkout').every((i) => i.version === 'v2')).toBe(true);
    const result = await adapter.apply(step('rollback-deployment', {}));
    expect(result).toMatchObject({
      outcome: 'applied',
      after: { version: 'v1', previousVersion: 'v2' },
    });
    for (const one of adapter.instances('checkout'))
      expect(await health(one.port)).toMatchObject({
        version: 'v1',
        argv: ['--build', 'v1'],
        pid: one.pid,
      });
  }, 15_000);

  it('fails verification on a broken version, and a restart on it says why', async () => {
    await adapter.deploy('checkout', 'v3-broken');
    const check = await adapter.verify({
      kind: 'healthy-instances',
      target: 'checkout',
      deadlineMs: 300,
    });
    expect(check).toMatchObject({ passed: false, observed: 0 });
    expect(check.detail).toContain('health 500');
    const errors = await adapter.verify({
      kind: 'error-rate-below',
      target: 'checkout',
      threshold: 0.05,
      deadlineMs: 100,
    });
    expect(errors).toMatchObject({ passed: false, observed: 0.5 });
    const restart = await adapter.apply(step('restart', { batchSize: 2 }));
    expect(restart).toMatchObject({
      outcome: 'failed',
      detail: expect.stringContaining('health answered 500'),
    });
    expect((await adapter.apply(step('rollback-deployment', { toVersion: 'v1' }))).outcome).toBe(
      'applied',
    );
    expect(await verifyHealthy()).toMatchObject({ passed: true });
    const latency = await adapter.verify({
      kind: 'latency-below',
      target: 'checkout',
      threshold: 100,
      deadlineMs: 500,
    });
    expect(latency).toMatchObject({ passed: true, observed: 5 });
  }, 15_000);

  it('runs the admin actions through the instances and drains one instance', async () => {
    expect(
      (await adapter.apply(step('toggle-feature-flag', { flag: 'new-cart', enabled: false })))
        .outcome,
    ).toBe('applied');
    expect((await adapter.describe('checkout')).flags).toEqual({ 'new-cart': false });
    expect((await adapter.apply(step('flush-cache', { keyPattern: 'cart:*' }))).outcome).toBe(
      'applied',
    );
    const diagnostic = await adapter.apply(step('run-diagnostic', { check: 'heap-summary' }));
    expect(diagnostic.detail).toContain('"check":"heap-summary"');
    const [first] = adapter.instances('checkout');
    const drain = await adapter.apply(
      step('drain-instance', { instance: first.name, graceSeconds: 1 }),
    );
    expect(drain).toMatchObject({ outcome: 'applied', after: { replicas: 1 } });
    expect(alive(first.pid)).toBe(false);
  }, 15_000);

  it('refuses what it cannot do, with the reason', async () => {
    expect(adapter.supports('failover', 'checkout')).toEqual({
      supported: false,
      reason: 'checkout exposes no failover endpoint and keeps no replication',
    });
    expect(adapter.supports('flush-cache', 'bare').supported).toBe(false);
    expect(adapter.supportsDryRun('run-diagnostic', 'checkout')).toBe(false);
    expect(await adapter.apply(step('scale', { replicas: 0 }))).toMatchObject({
      outcome: 'failed',
      detail: expect.stringContaining('replicas'),
    });
    expect(await adapter.apply({ ...step('restart', {}), target: 'nope' })).toEqual({
      outcome: 'failed',
      detail: 'nope is not a local service',
    });
    expect(
      await adapter.verify({ kind: 'alerts-resolved', target: 'checkout', deadlineMs: 10 }),
    ).toMatchObject({ passed: false });
  });
});

describe('LocalProcessAdapter after a killed one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-local-'));
  const options = () => ({
    services: {
      cart: { versions: [version('v1')], initialReplicas: 2, ports: { from: 47330, to: 47333 } },
    },
    instancesFile: join(dir, 'instances.json'),
    timings: { startupTimeoutMs: 5000, stopGraceMs: 1000, pollIntervalMs: 30 },
  });

  it('stops the processes the killed adapter left running before it starts its own', async () => {
    const killed = new LocalProcessAdapter(options());
    expect(await killed.start()).toBe(0);
    const orphans = killed.instances('cart').map((i) => i.pid as number);
    expect(orphans.every(alive)).toBe(true);
    // the first adapter is gone without stopping anything; its processes still hold the ports
    const next = new LocalProcessAdapter(options());
    try {
      expect(await next.start()).toBe(2);
      expect(orphans.some(alive)).toBe(false);
      const now = next.instances('cart');
      expect(now.map((i) => i.port).sort()).toEqual(
        killed
          .instances('cart')
          .map((i) => i.port)
          .sort(),
      );
      for (const instance of now) expect((await health(instance.port)).pid).toBe(instance.pid);
    } finally {
      await next.shutdown();
    }
  }, 20_000);
});
