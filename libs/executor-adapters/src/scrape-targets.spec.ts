import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionName } from '@vigil/contracts';
import { LocalProcessAdapter } from './local-process-adapter';
import { scrapeTargetGroups, writeScrapeTargets, type ScrapeTargetGroup } from './scrape-targets';

const script = join(__dirname, 'testing', 'demo-service.mjs');
const dir = mkdtempSync(join(tmpdir(), 'vigil-scrape-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as ScrapeTargetGroup[];

describe('scrape target groups (Prometheus file_sd)', () => {
  it('has one group per service, labelled with its name, listing every instance', () => {
    expect(
      scrapeTargetGroups([
        { name: 'frontend', instances: [{ port: 4200 }, { port: 4201 }] },
        { name: 'cart', instances: [] },
      ]),
    ).toEqual([
      { targets: ['127.0.0.1:4200', '127.0.0.1:4201'], labels: { service: 'frontend' } },
      { targets: [], labels: { service: 'cart' } },
    ]);
  });

  it('replaces the file whole and leaves no temporary file beside it', () => {
    const file = join(dir, 'pure', 'shop.json');
    writeScrapeTargets(file, [{ targets: ['127.0.0.1:1'], labels: { service: 'a' } }]);
    writeScrapeTargets(file, [{ targets: ['127.0.0.1:2'], labels: { service: 'a' } }]);
    expect(read(file)).toEqual([{ targets: ['127.0.0.1:2'], labels: { service: 'a' } }]);
    expect(readdirSync(join(dir, 'pure'))).toEqual(['shop.json']);
  });
});

describe('the local-process adapter keeps its scrape targets file up to date', () => {
  const file = join(dir, 'adapter', 'targets.json');
  const adapter = new LocalProcessAdapter({
    services: {
      checkout: {
        versions: [{ version: 'v1', command: process.execPath, args: [script, '--build', 'v1'] }],
        // a range of its own: jest runs local-process-adapter.spec.ts (47310-47333) beside it
        ports: { from: 47340, to: 47344 },
      },
    },
    timings: { startupTimeoutMs: 5000, stopGraceMs: 1000, pollIntervalMs: 30 },
    scrapeTargetsFile: file,
  });
  const targets = () => read(file).flatMap((g) => g.targets);
  let seq = 0;
  const apply = (action: ActionName, params: Record<string, unknown>) =>
    adapter.apply({
      planId: 'plan-sd',
      stepId: `s${++seq}`,
      action,
      target: 'checkout',
      params,
      idempotencyKey: `plan-sd/s${seq}`,
      dryRun: false,
    });

  beforeAll(() => adapter.start(), 15_000);
  afterAll(() => adapter.shutdown(), 15_000);

  it('lists the instance it started, under the service label', () => {
    const [one] = adapter.instances('checkout');
    expect(read(file)).toEqual([
      { targets: [`127.0.0.1:${one.port}`], labels: { service: 'checkout' } },
    ]);
  });

  it('follows a scale-out and a scale-in: scaled replicas are scraped too', async () => {
    expect((await apply('scale', { replicas: 3 })).outcome).toBe('applied');
    expect(targets()).toEqual(adapter.instances('checkout').map((i) => `127.0.0.1:${i.port}`));
    expect(targets()).toHaveLength(3);
    expect((await apply('scale', { replicas: 1 })).outcome).toBe('applied');
    expect(targets()).toEqual(adapter.instances('checkout').map((i) => `127.0.0.1:${i.port}`));
    expect(targets()).toHaveLength(1);
  }, 15_000);

  it('keeps a crashed instance listed (its failed scrape is what alerts) until it is replaced', async () => {
    const [one] = adapter.instances('checkout');
    process.kill(one.pid ?? 0, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(targets()).toEqual([`127.0.0.1:${one.port}`]);
    expect((await apply('restart', {})).outcome).toBe('applied');
    expect(targets()).toEqual([`127.0.0.1:${one.port}`]);
  }, 15_000);

  it('empties the group when the adapter stops its instances', async () => {
    await adapter.shutdown();
    expect(read(file)).toEqual([{ targets: [], labels: { service: 'checkout' } }]);
  }, 15_000);
});
