import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { actionCatalog } from '@vigil/action-catalog';
import type { ActionName } from '@vigil/contracts';
import { LocalDataDir, localDataLayout } from './local-data-dir';
import { LocalProcessAdapter } from './local-process-adapter';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'vigil-data-dir-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

function put(relative: string, value: unknown): void {
  mkdirSync(dirname(join(root, relative)), { recursive: true });
  writeFileSync(join(root, relative), typeof value === 'string' ? value : JSON.stringify(value));
}
const read = (relative: string) => JSON.parse(readFileSync(join(root, relative), 'utf8'));

/** A pid that ran and is gone. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

function pushConfig(version: number, timeoutMs: number): void {
  put(localDataLayout.configVersion(version), { version, timeoutMs });
  put(localDataLayout.currentConfig, { version, timeoutMs });
}

const adapter = () =>
  new LocalProcessAdapter({
    services: {
      catalog: {
        versions: [{ version: 'v1', command: process.execPath }],
        ports: { from: 47400, to: 47401 },
        dataDir: root,
      },
      bare: {
        versions: [{ version: 'v1', command: process.execPath }],
        ports: { from: 47402, to: 47403 },
      },
    },
  });
let seq = 0;
const step = (action: ActionName, params: Record<string, unknown>, dryRun = false) => ({
  planId: 'plan-1',
  stepId: `s${++seq}`,
  action,
  target: 'catalog',
  params,
  idempotencyKey: `plan-1/s${seq}`,
  dryRun,
});

describe('the data dir treatments', () => {
  it('rolls the config back to the version before, and its inverse goes forward again', async () => {
    pushConfig(1, 2000);
    pushConfig(2, 1);
    const local = adapter();
    expect(await local.describe('catalog')).toMatchObject({ configVersion: 2 });
    const dry = await local.apply(step('rollback-config', {}, true));
    expect(dry).toMatchObject({ outcome: 'would-apply', after: { configVersion: 1 } });
    expect(read(localDataLayout.currentConfig)).toEqual({ version: 2, timeoutMs: 1 });
    const done = await local.apply(step('rollback-config', {}));
    expect(done).toMatchObject({ outcome: 'applied', before: { configVersion: 2 } });
    expect(read(localDataLayout.currentConfig)).toEqual({ version: 1, timeoutMs: 2000 });
    await local.apply(step('rollback-config', { toVersion: 2 }));
    expect(read(localDataLayout.currentConfig)).toEqual({ version: 2, timeoutMs: 1 });
    expect(await local.apply(step('rollback-config', { toVersion: 7 }))).toMatchObject({
      outcome: 'failed',
      detail: 'there is no config version 7 to go back to',
    });
  });

  it('releases a lock whose holder is gone, and refuses one whose holder runs', async () => {
    put(localDataLayout.lock('orders'), { holderPid: deadPid(), holder: 'migrate', since: 'x' });
    put(localDataLayout.lock('live'), { holderPid: process.pid, holder: 'me', since: 'x' });
    const local = adapter();
    expect(await local.apply(step('release-lock', { lock: 'live' }))).toMatchObject({
      outcome: 'failed',
      detail: expect.stringContaining('which still runs: not stuck'),
    });
    expect(existsSync(join(root, localDataLayout.lock('live')))).toBe(true);
    expect(await local.apply(step('release-lock', { lock: 'orders' }))).toMatchObject({
      outcome: 'applied',
    });
    expect(existsSync(join(root, localDataLayout.lock('orders')))).toBe(false);
  });

  it('frees only the scratch files of the volume', async () => {
    put(`${localDataLayout.volumeTmp}/fill-1.bin`, 'x'.repeat(5000));
    put('volume/orders.db', 'keep me');
    const local = adapter();
    expect(await local.apply(step('free-disk', {}, true))).toMatchObject({
      detail: 'would delete 1 scratch file(s) (5000 bytes)',
    });
    await local.apply(step('free-disk', {}));
    expect(new LocalDataDir(root).scratch()).toEqual({ files: [], bytes: 0 });
    expect(readFileSync(join(root, 'volume/orders.db'), 'utf8')).toBe('keep me');
  });

  it('issues new credentials that do not expire for a month, keeping the old aside', async () => {
    const old = { user: 'catalog', secret: 'old', expiresAt: '2020-01-01T00:00:00Z' };
    put(localDataLayout.credentialsOf('catalog-db'), old);
    const local = adapter();
    expect(
      await local.apply(step('rotate-credentials', { dependency: 'catalog-db' })),
    ).toMatchObject({ outcome: 'applied' });
    const now = read(localDataLayout.credentialsOf('catalog-db'));
    expect(now.user).toBe('catalog');
    expect(now.secret).not.toBe('old');
    expect(Date.parse(now.expiresAt)).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
    expect(read(localDataLayout.previousCredentialsOf('catalog-db'))).toEqual(old);
    expect(await local.apply(step('rotate-credentials', { dependency: 'cache' }))).toMatchObject({
      outcome: 'failed',
      detail: 'the service keeps no credentials for cache',
    });
  });

  it('rotates no file outside the credentials of the data dir, whatever the dependency says', async () => {
    // a JSON file with a user beside the data dir: what a path in the name would reach
    const outside = join(dirname(root), `${root.split('/').pop()}-outside.json`);
    writeFileSync(outside, JSON.stringify({ user: 'someone', secret: 'keep' }));
    try {
      const escape = `x/../../../${root.split('/').pop()}-outside`;
      const local = adapter();
      expect(await local.apply(step('rotate-credentials', { dependency: escape }))).toMatchObject({
        outcome: 'failed',
      });
      expect(JSON.parse(readFileSync(outside, 'utf8'))).toEqual({
        user: 'someone',
        secret: 'keep',
      });
      expect(new LocalDataDir(root).rotateCredentials(escape)).toEqual({
        ok: false,
        reason: `"${escape}" is not a dependency name (one name, no path)`,
      });
    } finally {
      rmSync(outside, { force: true });
    }
  });

  it('deletes one cache key and leaves the others', async () => {
    put(localDataLayout.cacheEntries, {
      'cart:hot': { value: '\u00ff' },
      'cart:1': { value: '{}' },
    });
    await adapter().apply(step('clear-cache-key', { key: 'cart:hot' }));
    expect(Object.keys(read(localDataLayout.cacheEntries))).toEqual(['cart:1']);
  });

  it('fails a store over to a node that is not degraded, and back with the inverse', async () => {
    put(localDataLayout.replication, {
      primary: 'db-a',
      nodes: { 'db-a': { degraded: true }, 'db-b': { degraded: false } },
    });
    const local = adapter();
    const before = await local.describe('catalog');
    expect(before.primary).toBe('db-a');
    expect(await local.apply(step('failover', {}))).toMatchObject({ outcome: 'applied' });
    expect(read(localDataLayout.replication).primary).toBe('db-b');
    expect(actionCatalog.failover.inverse({}, before)).toEqual({
      action: 'failover',
      params: { toReplica: 'db-a' },
    });
    await local.apply(step('failover', { toReplica: 'db-a' }));
    expect(read(localDataLayout.replication).primary).toBe('db-a');
    expect(await local.apply(step('failover', { toReplica: 'db-z' }))).toMatchObject({
      outcome: 'failed',
      detail: 'db-z is not a node (nodes: db-a, db-b)',
    });
    expect(adapter().supports('failover', 'bare')).toEqual({
      supported: false,
      reason: 'bare exposes no failover endpoint and keeps no replication',
    });
  });

  it('says a service without a data dir cannot take these treatments', () => {
    for (const action of ['rollback-config', 'free-disk', 'release-lock'] as const)
      expect(adapter().supports(action, 'bare')).toEqual({
        supported: false,
        reason: 'bare has no data dir',
      });
  });

  it('keeps the release across a restart of the adapter', async () => {
    const config = {
      versions: [
        { version: 'v1', command: process.execPath },
        { version: 'v2', command: process.execPath },
      ],
      initialVersion: 'v1',
      ports: { from: 47404, to: 47405 },
      dataDir: root,
    };
    const first = new LocalProcessAdapter({ services: { checkout: config } });
    await first.deploy('checkout', 'v2');
    const second = new LocalProcessAdapter({ services: { checkout: config } });
    expect(await second.describe('checkout')).toMatchObject({
      version: 'v2',
      previousVersion: 'v1',
    });
  });
});
