import {
  cleanView,
  degradedDelayMs,
  dependencyRefusal,
  lockWaitMs,
  overCapacity,
  persistedEffect,
  persistedFaultSchema,
  shopConfigSchema,
  type PersistedView,
} from './persisted-state';

const catalog = { name: 'catalog', kind: 'service' };
const cache = { name: 'cache', kind: 'cache' };
const view = (over: Partial<PersistedView>): PersistedView => ({ ...cleanView, ...over });

describe('persisted state', () => {
  it('leaves every request alone when the data dir holds nothing bad', () => {
    expect(persistedEffect(cleanView, catalog, 0)).toBeUndefined();
    expect(persistedEffect(cleanView, cache, 0)).toBeUndefined();
    expect(dependencyRefusal(cleanView, 'catalog-db', Date.now())).toBeUndefined();
  });

  it('fails every write of a full volume as the disk would', () => {
    const full = view({ volumeUsedBytes: cleanView.config.volumeQuotaBytes });
    expect(persistedEffect(full, catalog, 0.99)?.failure).toMatchObject({
      status: 507,
      message: expect.stringMatching(/^ENOSPC: no space left on device/),
    });
  });

  it('makes requests wait for a stuck lock and give up, naming the dead holder', () => {
    const lock = { holderPid: 4_000_000, holder: 'catalog-migrate', since: '2026-01-01T00:00:00Z' };
    const failure = persistedEffect(view({ stuckLocks: [{ name: 'orders', lock }] }), catalog, 0);
    expect(failure).toMatchObject({ waitMs: lockWaitMs, failure: { status: 503 } });
    expect(failure?.failure?.message).toContain('lock orders (held by catalog-migrate pid 4000000');
  });

  it('fails the cache reads that hit a poisoned key, and only on a cache', () => {
    const poisoned = view({ poisonedKeys: ['cart:hot'] });
    expect(persistedEffect(poisoned, cache, 0.1)?.failure?.message).toContain('cart:hot');
    expect(persistedEffect(poisoned, cache, 0.9)).toBeUndefined();
    expect(persistedEffect(poisoned, catalog, 0.1)).toBeUndefined();
  });

  it('slows every request of a degraded primary and fails a share of them', () => {
    const degraded = view({ degradedPrimary: 'catalog-db-a' });
    expect(persistedEffect(degraded, catalog, 0.1)).toEqual({
      waitMs: degradedDelayMs,
      failure: { status: 500, message: expect.stringContaining('primary catalog-db-a') },
    });
    expect(persistedEffect(degraded, catalog, 0.9)).toEqual({ waitMs: degradedDelayMs });
  });

  it('refuses calls with expired credentials, not with valid ones', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const credentials = (expiresAt: string) =>
      view({ credentials: { 'catalog-db': { user: 'catalog', secret: 's', expiresAt } } });
    expect(dependencyRefusal(credentials('2026-06-01T11:00:00Z'), 'catalog-db', now)).toMatch(
      /credentials expired at 2026-06-01T11:00:00Z/,
    );
    expect(dependencyRefusal(credentials('2026-07-01T00:00:00Z'), 'catalog-db', now)).toBe(
      undefined,
    );
  });

  it('sheds what goes beyond the capacity of the config', () => {
    const small = view({ config: { ...cleanView.config, capacityRps: 10 } });
    expect(overCapacity(small, 9)).toBe(false);
    expect(overCapacity(small, 10)).toBe(true);
  });

  it('takes only plain names and http URLs from chaos and config files', () => {
    expect(persistedFaultSchema.safeParse({ kind: 'stuck-lock', lock: '../../x' }).success).toBe(
      false,
    );
    expect(
      shopConfigSchema.safeParse({ downstreams: { 'catalog-db': 'file:///etc/passwd' } }).success,
    ).toBe(false);
    expect(shopConfigSchema.parse({ timeoutMs: 5 })).toMatchObject({ version: 1, timeoutMs: 5 });
  });
});
