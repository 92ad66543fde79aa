import { z } from 'zod';
import { envDurationMs, MINUTE_MS } from './env-duration';

describe('envDurationMs', () => {
  const schema = z.object({ WAIT_MS: envDurationMs(5 * MINUTE_MS, { min: 100, max: 60_000_000 }) });

  it('reads whole milliseconds, with the default when unset', () => {
    expect(schema.parse({}).WAIT_MS).toBe(300_000);
    expect(schema.parse({ WAIT_MS: '1500' }).WAIT_MS).toBe(1500);
  });

  it.each([
    ['1.5', 'must be a whole number of milliseconds'],
    ['5s', 'must be a whole number of milliseconds'],
    ['50', 'must be at least 100 ms'],
    ['90000000', 'must be at most 60000000 ms'],
  ])('refuses %s: %s', (value, message) => {
    const result = schema.safeParse({ WAIT_MS: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });
});
