import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shopAdaptersFile } from '@vigil/demo-shop';
import { loadAdapters } from './adapters-file';

const dir = mkdtempSync(join(tmpdir(), 'vigil-adapters-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const shop = shopAdaptersFile({ command: 'node', args: ['main.js'], cwd: dir, env: {} });

describe('EXECUTOR_ADAPTERS_FILE', () => {
  it('loads the shop file the CLI writes, longer waits included, without starting anything', () => {
    const loaded = loadAdapters(file('shop.json', shop));
    expect(loaded.local).toBeDefined();
    expect(loaded.router.supports('restart', 'payment')).toEqual({ supported: true });
  });

  it('says which wait is wrong', () => {
    const bad = { localProcess: { ...shop.localProcess, timings: { startupTimeoutMs: -1 } } };
    expect(() => loadAdapters(file('bad.json', bad))).toThrow(
      /localProcess\.timings\.startupTimeoutMs/,
    );
  });

  it('refuses a file that configures no adapter', () => {
    expect(() => loadAdapters(file('empty.json', {}))).toThrow(/configures no adapter/);
  });
});
