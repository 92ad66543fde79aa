import { CircuitBreaker } from './circuit-breaker';

const MIN = 60_000;
const T = Date.parse('2025-06-04T12:00:00Z');
const failed = { result: 'failed', humanApproved: false } as const;
const failedApproved = { result: 'failed', humanApproved: true } as const;
const succeededApproved = { result: 'succeeded', humanApproved: true } as const;
const succeeded = { result: 'succeeded', humanApproved: false } as const;

/** Threshold 3 in 60 min, cool-down 30 min. */
const fresh = () =>
  CircuitBreaker.create({ failureThreshold: 3, windowSeconds: 3600, coolDownSeconds: 1800 });
const failures = (...minutes: number[]) =>
  minutes.reduce((b, m) => b.record(failed, T + m * MIN), fresh());

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and opens exactly at it', () => {
    expect(failures(0, 10).state(T + 10 * MIN)).toEqual({ status: 'closed', recentFailures: 2 });
    expect(failures(0, 10, 20).state(T + 20 * MIN)).toEqual({
      status: 'open',
      openedAt: T + 20 * MIN,
      closesAt: T + 50 * MIN,
    });
  });

  it('counts failures in a sliding window: one exactly a window old has left it', () => {
    expect(failures(0, 30, 60).state(T + 60 * MIN).status).toBe('closed');
    expect(failures(0, 30, 59).state(T + 59 * MIN).status).toBe('open');
    expect(failures(0, 30).state(T + 60 * MIN)).toEqual({ status: 'closed', recentFailures: 1 });
  });

  it('does not count failures of human-approved remediations, nor reset on successes', () => {
    const b = fresh()
      .record(failed, T)
      .record(failedApproved, T + MIN)
      .record(succeeded, T + 2 * MIN)
      .record(failed, T + 3 * MIN);
    expect(b.state(T + 3 * MIN)).toEqual({ status: 'closed', recentFailures: 2 });
    expect(b.record(failed, T + 4 * MIN).state(T + 4 * MIN).status).toBe('open');
  });

  it('closes by itself at the end of the cool-down, not a moment before', () => {
    const open = failures(0, 1, 2);
    expect(open.state(T + 32 * MIN - 1).status).toBe('open');
    expect(open.state(T + 32 * MIN)).toEqual({ status: 'closed', recentFailures: 0 });
  });

  it('restarts the cool-down on any failure while open', () => {
    const open = failures(0, 1, 2).record(failedApproved, T + 20 * MIN);
    expect(open.state(T + 40 * MIN)).toMatchObject({ status: 'open', closesAt: T + 50 * MIN });
  });

  it('closes on a human-approved success, but not on an automatic one', () => {
    const open = failures(0, 1, 2);
    expect(open.record(succeeded, T + 5 * MIN).state(T + 5 * MIN).status).toBe('open');
    const closed = open.record(succeededApproved, T + 5 * MIN);
    expect(closed.state(T + 5 * MIN)).toEqual({ status: 'closed', recentFailures: 0 });
    // the failures that opened it are forgotten
    expect(closed.record(failed, T + 6 * MIN).state(T + 6 * MIN)).toEqual({
      status: 'closed',
      recentFailures: 1,
    });
  });

  it('counts afresh after closing by cool-down', () => {
    const b = failures(0, 1, 2).record(failed, T + 40 * MIN);
    expect(b.state(T + 40 * MIN)).toEqual({ status: 'closed', recentFailures: 1 });
  });

  it('is immutable and survives a JSON round trip', () => {
    const before = failures(0, 1);
    const after = before.record(failed, T + 2 * MIN);
    expect(before.state(T + 2 * MIN).status).toBe('closed');
    const json = JSON.parse(JSON.stringify(after));
    expect(json).toEqual({
      status: 'open',
      failures: [],
      openedAt: T + 2 * MIN,
      lastFailureAt: T + 2 * MIN,
    });
    const restored = CircuitBreaker.restore(json, after.settings);
    expect(restored.state(T + 10 * MIN)).toEqual(after.state(T + 10 * MIN));
    expect(
      JSON.parse(JSON.stringify(CircuitBreaker.restore(before.toJSON(), before.settings))),
    ).toEqual(before.toJSON());
  });
});
