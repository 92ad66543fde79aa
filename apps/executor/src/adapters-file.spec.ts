import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shopAdaptersFile } from '@vigil/demo-shop';
import { IdempotencyLedger } from '@vigil/executor-adapters';
import { loadAdapters } from './adapters-file';

const dir = mkdtempSync(join(tmpdir(), 'vigil-adapters-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const ledgers = { dir: join(dir, 'ledgers'), owner: 'vigil-executor' };
const shop = shopAdaptersFile({ command: 'node', args: ['main.js'], cwd: dir, env: {} });

describe('EXECUTOR_ADAPTERS_FILE', () => {
  it('loads the shop file the CLI writes, longer waits included, without starting anything', () => {
    const loaded = loadAdapters(file('shop.json', shop), ledgers);
    expect(loaded.local).toBeDefined();
    expect(loaded.router.supports('restart', 'payment')).toEqual({ supported: true });
  });

  it('gives the webhook adapter a ledger on disk: a key applied before a restart is not sent again', async () => {
    const webhook = { secret: 'a-secret-of-16-chars', defaultUrl: 'http://127.0.0.1:9/hook' };
    const hookFile = file('hook.json', { webhook });
    const step = {
      planId: 'p',
      stepId: 's1',
      action: 'restart' as const,
      target: 'cart',
      params: { batchSize: 1 },
      idempotencyKey: 'p/s1/apply',
      dryRun: false,
    };
    // applied by the executor before it restarted (the receiver at port 9 answers nothing)
    await new IdempotencyLedger(join(ledgers.dir, 'vigil-executor.webhook.jsonl')).run(
      step,
      async () => ({
        outcome: 'applied',
        detail: 'restarted',
      }),
    );
    const result = await loadAdapters(hookFile, ledgers).router.apply(step);
    expect(result.outcome).toBe('already-applied');
  });

  it('says which wait is wrong', () => {
    const bad = { localProcess: { ...shop.localProcess, timings: { startupTimeoutMs: -1 } } };
    expect(() => loadAdapters(file('bad.json', bad), ledgers)).toThrow(
      /localProcess\.timings\.startupTimeoutMs/,
    );
  });

  it('refuses a file that configures no adapter', () => {
    expect(() => loadAdapters(file('empty.json', {}), ledgers)).toThrow(/configures no adapter/);
  });
});
