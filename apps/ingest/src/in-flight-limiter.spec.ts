import { InFlightLimiter } from './in-flight-limiter';

/** A limiter on a clock the test moves: capacity 1,000, stall time 5 s. */
function onClock() {
  const clock = { now: 0 };
  const limiter = new InFlightLimiter(1_000, undefined, 5_000, () => clock.now);
  return { clock, limiter };
}

describe('InFlightLimiter', () => {
  it('admits work while it fits, refuses what does not, and frees on release', () => {
    const seen: number[] = [];
    const limiter = new InFlightLimiter(10, (n) => seen.push(n));
    const six = limiter.tryAcquire(6);
    expect(six).toBeDefined();
    expect(limiter.tryAcquire(5)).toBeUndefined();
    expect(limiter.tryAcquire(4)).toBeDefined();
    expect(limiter.refusal).toBe('full');
    limiter.release(six as number, 'acked');
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
    limiter.release(first, 'acked');
    limiter.release(first, 'acked');
    expect(limiter.inFlight).toBe(2);
  });

  it('refuses once a send has waited the stall time with nothing acknowledged, until one is', () => {
    const { clock, limiter } = onClock();
    const oldest = limiter.tryAcquire(1) as number;
    clock.now = 3_000;
    const younger = limiter.tryAcquire(1) as number;
    expect(younger).toBeDefined();
    clock.now = 5_000;
    expect(limiter.refusal).toBe('stalled');
    expect(limiter.tryAcquire(1)).toBeUndefined();
    limiter.release(oldest, 'acked');
    expect(limiter.refusal).toBeUndefined();
    limiter.release(younger, 'acked');
    expect(limiter.oldestWaitMs()).toBe(0);
  });

  it('does not call one slow send a stall while other sends are acknowledged', () => {
    const { clock, limiter } = onClock();
    limiter.tryAcquire(1);
    clock.now = 4_000;
    limiter.release(limiter.tryAcquire(1) as number, 'acked');
    clock.now = 6_000;
    expect(limiter.oldestWaitMs()).toBe(6_000);
    expect(limiter.refusal).toBeUndefined();
    clock.now = 9_000;
    expect(limiter.refusal).toBe('stalled');
  });

  it('lets one probe at a time wait on a Kafka whose sends fail, and opens again on an ack', () => {
    const { clock, limiter } = onClock();
    clock.now = 6_000;
    // sends that fail are not Kafka answering: once one has failed, a single probe waits at a time
    const first = limiter.tryAcquire(1) as number;
    limiter.release(first, 'kafka-failed');
    const probe = limiter.tryAcquire(1) as number;
    expect(probe).toBeDefined();
    expect(limiter.refusal).toBe('stalled');
    expect(limiter.tryAcquire(1)).toBeUndefined();
    limiter.release(probe, 'kafka-failed');
    const nextProbe = limiter.tryAcquire(1) as number;
    expect(limiter.tryAcquire(1)).toBeUndefined();
    limiter.release(nextProbe, 'acked');
    expect(limiter.refusal).toBeUndefined();
    expect(limiter.tryAcquire(1)).toBeDefined();
    expect(limiter.tryAcquire(1)).toBeDefined();
  });

  it('does not take a batch refused for its own sake (too large, invalid) for Kafka failing', () => {
    const { clock, limiter } = onClock();
    clock.now = 6_000;
    limiter.release(limiter.tryAcquire(1) as number, 'other');
    limiter.tryAcquire(1);
    expect(limiter.refusal).toBeUndefined();
  });
});
