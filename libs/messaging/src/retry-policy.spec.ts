import { backoffDelay, PermanentError, withRetries } from './retry-policy';

const policy = { attempts: 4, initialDelayMs: 100, maxDelayMs: 250 };
const noSleep = async () => undefined;

describe('withRetries', () => {
  it('retries transient failures and reports the attempts it took', async () => {
    let calls = 0;
    const outcome = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw new Error('broker not available');
        return 'done';
      },
      policy,
      noSleep,
    );
    expect(outcome).toEqual({ ok: true, value: 'done', attempts: 3 });
  });

  it('gives up after the configured attempts with the last error', async () => {
    let calls = 0;
    const outcome = await withRetries(
      async () => {
        calls++;
        throw new Error(`timeout ${calls}`);
      },
      policy,
      noSleep,
    );
    expect(calls).toBe(4);
    expect(outcome).toMatchObject({ ok: false, attempts: 4, permanent: false });
    if (!outcome.ok) expect(outcome.error.message).toBe('timeout 4');
  });

  it('does not retry a permanent error', async () => {
    let calls = 0;
    const outcome = await withRetries(
      async () => {
        calls++;
        throw new PermanentError('unknown entity kind');
      },
      policy,
      noSleep,
    );
    expect(calls).toBe(1);
    expect(outcome).toMatchObject({ ok: false, attempts: 1, permanent: true });
  });

  it('waits longer after each failure, up to the ceiling', async () => {
    const waits: number[] = [];
    await withRetries(
      async () => {
        throw new Error('down');
      },
      policy,
      async (ms) => {
        waits.push(ms);
      },
    );
    expect(waits).toHaveLength(3);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[2]).toBeLessThanOrEqual(250);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt and stays within half to full of the ceiling', () => {
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 1)).toBe(200);
    expect(backoffDelay(3, policy, () => 1)).toBe(250);
    expect(backoffDelay(2, policy, () => 0)).toBe(100);
  });
});
