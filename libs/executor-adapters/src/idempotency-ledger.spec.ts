import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepRequest, StepResult } from './execution-adapter';
import { IdempotencyLedger } from './idempotency-ledger';

const request: StepRequest = {
  planId: 'p1',
  stepId: 's1',
  action: 'scale',
  target: 'checkout',
  params: { replicas: 3 },
  idempotencyKey: 'p1/s1',
  dryRun: false,
};

function counter(outcome: StepResult['outcome'] = 'applied') {
  const calls = { n: 0 };
  const apply = async (): Promise<StepResult> => {
    calls.n++;
    return { outcome, detail: 'scaled', before: { replicas: 1 }, after: { replicas: 3 } };
  };
  return { calls, apply };
}

describe('IdempotencyLedger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies a key once and answers re-sends with the first states', async () => {
    const ledger = new IdempotencyLedger();
    const { calls, apply } = counter();
    expect((await ledger.run(request, apply)).outcome).toBe('applied');
    const again = await ledger.run({ ...request, params: { replicas: 3 } }, apply);
    expect(again).toMatchObject({ outcome: 'already-applied', after: { replicas: 3 } });
    expect(calls.n).toBe(1);
  });

  it('applies concurrent duplicates once', async () => {
    const ledger = new IdempotencyLedger();
    const { calls, apply } = counter();
    const results = await Promise.all([ledger.run(request, apply), ledger.run(request, apply)]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['already-applied', 'applied']);
    expect(calls.n).toBe(1);
  });

  it('lets a failed key be tried again and never records dry-runs', async () => {
    const ledger = new IdempotencyLedger();
    const failing = counter('failed');
    await ledger.run(request, failing.apply);
    await ledger.run(request, failing.apply);
    expect(failing.calls.n).toBe(2);
    const dry = counter('would-apply');
    await ledger.run({ ...request, dryRun: true }, dry.apply);
    expect(ledger.has(request.idempotencyKey)).toBe(false);
  });

  it('refuses a key reused for a different step', async () => {
    const ledger = new IdempotencyLedger();
    const { apply } = counter();
    await ledger.run(request, apply);
    const other = await ledger.run({ ...request, params: { replicas: 5 } }, apply);
    expect(other).toEqual({ outcome: 'failed', detail: expect.stringContaining('different step') });
  });

  it('remembers keys across restarts through the state file, skipping a torn last line', async () => {
    const file = join(dir, 'keys.jsonl');
    const { calls, apply } = counter();
    await new IdempotencyLedger(file).run(request, apply);
    writeFileSync(file, '{"key":"torn', { flag: 'a' });
    const restarted = new IdempotencyLedger(file);
    expect((await restarted.run(request, apply)).outcome).toBe('already-applied');
    expect(calls.n).toBe(1);
  });
});
