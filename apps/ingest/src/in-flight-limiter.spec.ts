import { InFlightLimiter } from './in-flight-limiter';

describe('InFlightLimiter', () => {
  it('admits work while it fits, refuses what does not, and frees on release', () => {
    const seen: number[] = [];
    const limiter = new InFlightLimiter(10, (n) => seen.push(n));
    expect(limiter.tryAcquire(6)).toBe(true);
    expect(limiter.tryAcquire(5)).toBe(false);
    expect(limiter.tryAcquire(4)).toBe(true);
    expect(limiter.saturated).toBe(true);
    limiter.release(6);
    expect(limiter.inFlight).toBe(4);
    expect(limiter.saturated).toBe(false);
    expect(seen).toEqual([6, 10, 4]);
  });

  it('never admits more than its capacity at once', () => {
    expect(new InFlightLimiter(3).tryAcquire(4)).toBe(false);
  });
});
