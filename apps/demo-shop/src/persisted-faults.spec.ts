import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirLayout, defaultShopConfig } from '@vigil/demo-shop';
import { PersistedFaults } from './persisted-faults';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'vigil-shop-data-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

const catalog = { name: 'catalog', kind: 'service' };
const read = (relative: string) => JSON.parse(readFileSync(join(root, relative), 'utf8'));

describe('what a shop instance keeps in its data dir', () => {
  it('pushes a bad config as a new version, keeping the good one to go back to', () => {
    const persisted = new PersistedFaults(root, catalog);
    persisted.inject({ kind: 'config', patch: { timeoutMs: 1 } });
    expect(read(dataDirLayout.configVersion(1))).toEqual(defaultShopConfig);
    expect(read(dataDirLayout.currentConfig)).toMatchObject({ version: 2, timeoutMs: 1 });
    // a new instance (a restart) reads the same files
    const restarted = new PersistedFaults(root, catalog);
    restarted.refresh();
    expect(restarted.view.config.timeoutMs).toBe(1);
  });

  it('fills the volume to its quota, so every request fails as a full disk does', () => {
    const persisted = new PersistedFaults(root, catalog);
    persisted.inject({ kind: 'fill-volume' });
    expect(persisted.view.volumeUsedBytes).toBe(defaultShopConfig.volumeQuotaBytes);
    expect(persisted.effect(Date.now(), 0.5)?.failure?.status).toBe(507);
  });

  it('leaves a lock whose holder is gone, which every request then waits on', () => {
    const persisted = new PersistedFaults(root, catalog);
    persisted.inject({ kind: 'stuck-lock', lock: 'catalog-writer' });
    expect(persisted.view.stuckLocks.map((l) => l.name)).toEqual(['catalog-writer']);
    expect(persisted.effect(Date.now(), 0.5)).toMatchObject({ failure: { status: 503 } });
  });

  it('refuses calls to a dependency whose credentials expired', async () => {
    const persisted = new PersistedFaults(root, catalog);
    persisted.inject({ kind: 'expire-credentials', dependency: 'catalog-db' });
    const never = { call: () => Promise.reject(new Error('must not be called')) };
    const result = await persisted.call(never as never, 'catalog-db', 'query');
    expect(result).toEqual({
      ok: false,
      reason: expect.stringContaining('credentials expired at'),
    });
  });

  it('poisons a cache key that a flush of its pattern deletes', () => {
    const cache = new PersistedFaults(root, { name: 'cache', kind: 'cache' });
    cache.inject({ kind: 'poison-cache-key', key: 'cart:hot' });
    expect(cache.view.poisonedKeys).toEqual(['cart:hot']);
    expect(cache.flush('user:*')).toBe(0);
    expect(cache.flush('cart:*')).toBe(1);
    expect(cache.view.poisonedKeys).toEqual([]);
  });

  it('degrades the primary of a store, not its replica', () => {
    const db = new PersistedFaults(root, { name: 'catalog-db', kind: 'database' });
    db.inject({ kind: 'degrade-primary' });
    expect(db.view.degradedPrimary).toBe('catalog-db-a');
    expect(read(dataDirLayout.replication).nodes['catalog-db-b']).toEqual({ degraded: false });
  });

  it('sheds what goes beyond its capacity within one second', () => {
    const persisted = new PersistedFaults(root, catalog);
    persisted.inject({ kind: 'config', patch: { capacityRps: 3 } });
    const now = Date.now();
    const effects = Array.from({ length: 5 }, () => persisted.effect(now, 0.5));
    expect(effects.map((e) => e?.failure?.status)).toEqual([
      undefined,
      undefined,
      undefined,
      503,
      503,
    ]);
    expect(persisted.effect(now + 1_000, 0.5)).toBeUndefined();
  });

  it('refuses to take a fault without a data dir', () => {
    expect(() => new PersistedFaults(undefined, catalog).inject({ kind: 'fill-volume' })).toThrow(
      'catalog has no data dir (VIGIL_DATA_DIR)',
    );
  });
});
