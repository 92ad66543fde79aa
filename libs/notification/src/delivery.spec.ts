import { deliveryKey, isRetryableStatus, retryDelayMs } from './delivery';

describe('retryDelayMs', () => {
  const schedule = { attempts: 5, baseMs: 100, maxMs: 1000 };

  it('doubles each time, jittered within [step/2, step], capped at maxMs', () => {
    expect(retryDelayMs(schedule, 1, 0)).toBe(50);
    expect(retryDelayMs(schedule, 1, 0.999)).toBe(100);
    expect(retryDelayMs(schedule, 3, 0)).toBe(200);
    expect(retryDelayMs(schedule, 4, 0.999)).toBeLessThanOrEqual(800);
    expect(retryDelayMs({ ...schedule, attempts: 10 }, 8, 0.999)).toBe(1000);
  });

  it('gives up once the attempts are used', () => {
    expect(retryDelayMs(schedule, 5, 0.5)).toBeUndefined();
  });
});

describe('deliveryKey', () => {
  it('differs per receiver, incident and action', () => {
    const keys = new Set([
      deliveryKey('a', 'i1', 'trigger'),
      deliveryKey('b', 'i1', 'trigger'),
      deliveryKey('a', 'i2', 'trigger'),
      deliveryKey('a', 'i1', 'resolve'),
    ]);
    expect(keys.size).toBe(4);
  });
});

describe('isRetryableStatus', () => {
  it('retries 429 and 5xx, not other 4xx', () => {
    expect([429, 500, 503].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 404].some(isRetryableStatus)).toBe(false);
  });
});
