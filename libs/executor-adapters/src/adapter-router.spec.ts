import type { ActionName } from '@vigil/contracts';
import type { ExecutionAdapter, StepRequest } from './execution-adapter';
import { AdapterRouter } from './adapter-router';

function fakeAdapter(
  name: string,
  actions: readonly ActionName[],
  dryRun = true,
): ExecutionAdapter {
  return {
    name,
    verificationKinds: ['healthy-instances'],
    supports: (action) =>
      actions.includes(action)
        ? { supported: true }
        : { supported: false, reason: `${name} has no ${action}` },
    supportsDryRun: (action) => dryRun && actions.includes(action),
    describe: async () => ({ replicas: name.length }),
    apply: async (r) => ({
      outcome: r.dryRun ? 'would-apply' : 'applied',
      detail: `${name} did it`,
    }),
    verify: async () => ({ passed: true, detail: `${name} checked` }),
  };
}

const step = (target: string, action: ActionName, dryRun = false): StepRequest => ({
  planId: 'p1',
  stepId: 's1',
  action,
  target,
  params: {},
  idempotencyKey: 'p1/s1',
  dryRun,
});

describe('AdapterRouter', () => {
  const router = new AdapterRouter({
    adapters: [
      fakeAdapter('local', ['restart', 'scale']),
      fakeAdapter('hook', ['failover'], false),
    ],
    routes: { 'orders-db': 'hook' },
    defaultAdapter: 'local',
  });

  it("serves the targets its adapters know: another executor's targets are not its own", () => {
    const knowing = new AdapterRouter({
      adapters: [{ ...fakeAdapter('local', ['restart']), serves: (t) => t === 'checkout' }],
      defaultAdapter: 'local',
    });
    expect(knowing.serves('checkout')).toBe(true);
    expect(knowing.serves('payment')).toBe(false);
    // an adapter that forwards anywhere (a webhook) serves every target routed to it
    expect(router.serves('anything')).toBe(true);
  });

  it('routes by the target map and falls back to the default', async () => {
    expect((await router.apply(step('checkout', 'restart'))).detail).toBe('local did it');
    expect((await router.apply(step('orders-db', 'failover'))).detail).toBe('hook did it');
    expect(await router.describe('orders-db')).toEqual({ replicas: 4 });
  });

  it('refuses an action the adapter does not support, saying which adapter and why', async () => {
    expect(router.supports('failover', 'checkout')).toEqual({
      supported: false,
      reason: 'adapter local cannot failover checkout: local has no failover',
    });
    expect(await router.apply(step('checkout', 'failover'))).toEqual({
      outcome: 'failed',
      detail: 'adapter local cannot failover checkout: local has no failover',
    });
  });

  it('refuses a dry-run the adapter cannot do', async () => {
    expect(router.supportsDryRun('failover', 'orders-db')).toBe(false);
    const result = await router.apply(step('orders-db', 'failover', true));
    expect(result).toEqual({
      outcome: 'failed',
      detail: expect.stringContaining('cannot dry-run'),
    });
  });

  it('refuses targets without an adapter and checks it does not know', async () => {
    const strict = new AdapterRouter({ adapters: [fakeAdapter('local', ['restart'])] });
    expect(strict.supports('restart', 'x')).toEqual({
      supported: false,
      reason: 'no adapter is configured for target "x"',
    });
    await expect(strict.describe('x')).rejects.toThrow('no adapter');
    const check = await router.verify({ kind: 'latency-below', target: 'checkout', deadlineMs: 1 });
    expect(check.passed).toBe(false);
    expect(check.detail).toContain('cannot check latency-below');
  });

  it('rejects a configuration that routes to a missing adapter', () => {
    expect(
      () => new AdapterRouter({ adapters: [], routes: { a: 'nope' }, defaultAdapter: undefined }),
    ).toThrow('route a -> unknown adapter "nope"');
  });
});
