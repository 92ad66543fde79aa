import { InFlightLimiter } from './in-flight-limiter';

describe('InFlightLimiter', () => {
  it('admits work while it fits, refuses what does not, and frees on release', () => {
    const seen: number[] = [];
    const limiter = new InFlightLimiter(10, (n) => seen.push(n));
    const six = limiter.tryAcquire(6);
    expect(six).toBeDefined();
    expect(limiter.tryAcquire(5)).toBeUndefined();
    expect(limiter.tryAcquire(4)).toBeDefined();
    expect(limiter.refusal).toBe('full');
    limiter.release(six as number);
    expect(limiter.inFlight).toBe(4);
    expect(limiter.refusal).toBeUndefined();
    expect(seen).toEqual([6, 10, 4]);
  });

  it('never admits more than its capacity at once', () => {
    expect(new InFlightLimiter(3).tryAcquire(4)).toBeUndefined();
  });

  it('frees a ticket once, however often it is released', () => {
    const limiter = new InFlightLimiter(10);
    const first = limiter.tryAcquire(3) as number;
    limiter.tryAcquire(2);
    limiter.release(first);
    limiter.release(first);
    expect(limiter.inFlight).toBe(2);
  });

  it('does not call one slow send a stall while other sends are answered', () => {
    let now = 0;
    const limiter = new InFlightLimiter(1_000, undefined, 5_000, () => now);
    limiter.tryAcquire(1);
    now = 4_000;
    limiter.release(limiter.tryAcquire(1) as number);
    now = 6_000;
    expect(limiter.oldestWaitMs()).toBe(6_000);
    expect(limiter.refusal).toBeUndefined();
    now = 9_000;
    expect(limiter.refusal).toBe('stalled');
  });

  it('refuses once the oldest send waiting has waited the stall time, until it is answered', () => {
    let now = 0;
    const limiter = new InFlightLimiter(1_000, undefined, 5_000, () => now);
    const oldest = limiter.tryAcquire(1) as number;
    now = 3_000;
    const younger = limiter.tryAcquire(1) as number;
    expect(younger).toBeDefined();
    now = 5_000;
    expect(limiter.oldestWaitMs()).toBe(5_000);
    expect(limiter.refusal).toBe('stalled');
    expect(limiter.tryAcquire(1)).toBeUndefined();
    // the oldest is answered: the clock now runs from the younger send's start
    limiter.release(oldest);
    expect(limiter.oldestWaitMs()).toBe(2_000);
    expect(limiter.refusal).toBeUndefined();
    limiter.release(younger);
    expect(limiter.oldestWaitMs()).toBe(0);
  });
});
