import { RequestWindow } from './request-window';

describe('RequestWindow', () => {
  it('reports rate, error ratio and p99 over the window only', () => {
    const w = new RequestWindow(10_000);
    w.record(50, 5_000, false); // older than the window at the time asked
    for (let i = 0; i < 100; i++) w.record(1_000 + i, i === 99 ? 900 : 10, i % 10 !== 0);
    const stats = w.stats(10_500);
    expect(stats.count).toBe(100);
    expect(stats.requestsPerSecond).toBe(10);
    expect(stats.errorRatio).toBeCloseTo(0.1);
    expect(stats.p99Ms).toBe(10);
    w.record(10_600, 900, true);
    expect(w.stats(10_700).p99Ms).toBe(900);
  });

  it('reports zeros, not NaN, when idle', () => {
    expect(new RequestWindow().stats(1e6)).toEqual({
      requestsPerSecond: 0,
      errorRatio: 0,
      p99Ms: 0,
      count: 0,
    });
  });

  it('stays bounded under a flood', () => {
    const w = new RequestWindow(10_000, 1_000);
    for (let i = 0; i < 5_000; i++) w.record(i, 1, true);
    expect(w.stats(5_000).count).toBe(1_000);
  });
});
