import { growthAfter, trendAfter } from './rss-series';

describe('growthAfter', () => {
  const series = [0, 5, 10, 11, 12, 13, 14, 15].map((minute) => ({
    minute,
    rss: { rca: 100 + minute * 2, ingest: minute < 10 ? 300 : 100 },
  }));

  it('measures from the samples from the base minute on to as many last ones, half the run each at most', () => {
    const growth = growthAfter(series, 10);
    expect(growth['rca']).toEqual({ fromMiB: 122, toMiB: 128, percent: 4.9 });
    // what the warm-up took does not count
    expect(growth['ingest']).toEqual({ fromMiB: 100, toMiB: 100, percent: 0 });
  });

  it('measures the anonymous part of RSS on its own: mapped files paging in do not count there', () => {
    const split = series.map((s) => ({
      ...s,
      anon: { rca: 100, ingest: s.rss.ingest },
    }));
    expect(growthAfter(split, 10, 'anon')['rca']).toEqual({ fromMiB: 100, toMiB: 100, percent: 0 });
    // series written before the split was recorded say nothing of it
    expect(growthAfter(series, 10, 'anon')['rca']).toBeUndefined();
  });

  it('says nothing with fewer than three samples at each end after the base minute', () => {
    expect(growthAfter(series.slice(0, 5), 10)['rca']).toBeUndefined();
  });

  it('reads the level a service keeps, not a swing of a few minutes at either end', () => {
    // level at 100 MiB for 50 minutes; a three-minute burst to 130 at the start and at the end
    const swings = Array.from({ length: 50 }, (_, i) => i + 10).map((minute) => ({
      minute,
      rss: { sync: minute < 13 || minute >= 57 ? 130 : 100 },
    }));
    expect(growthAfter(swings, 10)['sync']).toEqual({ fromMiB: 100, toMiB: 100, percent: 0 });
  });

  it('still reads growth that lasts', () => {
    const leak = Array.from({ length: 50 }, (_, i) => i + 10).map((minute) => ({
      minute,
      rss: { sync: minute < 35 ? 100 : 120 },
    }));
    expect(growthAfter(leak, 10)['sync']?.percent).toBe(20);
  });
});

describe('trendAfter', () => {
  const minutes = Array.from({ length: 21 }, (_, i) => i + 10);
  it('reads a steady leak as its growth over the window', () => {
    const leak = minutes.map((minute) => ({ minute, rss: { gateway: 100 + (minute - 10) } }));
    expect(trendAfter(leak, 10)['gateway']).toBe(20);
  });

  it('reads a collected heap as flat, wherever its sawtooth stands at the two ends', () => {
    // grows 2 MiB a minute and is collected back every 5 minutes, for 50 minutes; it ends at a peak
    const sawtooth = Array.from({ length: 50 }, (_, i) => i + 10).map((minute) => ({
      minute,
      rss: { ruler: 100 + 2 * ((minute - 10) % 5) },
    }));
    expect(Math.abs(trendAfter(sawtooth, 10)['ruler'] ?? NaN)).toBeLessThan(1);
    // a mean of the last three samples would read +4%
    expect(Math.abs(growthAfter(sawtooth, 10)['ruler']?.percent ?? NaN)).toBeLessThan(1);
  });

  it('says nothing with fewer than six samples after the base minute', () => {
    expect(
      trendAfter(
        [10, 11, 12].map((minute) => ({ minute, rss: { a: 1 } })),
        10,
      )['a'],
    ).toBeUndefined();
  });
});
