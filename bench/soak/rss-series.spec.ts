import { growthAfter } from './rss-series';

describe('growthAfter', () => {
  const series = [0, 5, 10, 11, 12, 13, 14, 15].map((minute) => ({
    minute,
    rss: { rca: 100 + minute * 2, ingest: minute < 10 ? 300 : 100 },
  }));

  it('measures from the three samples from the base minute on to the last three', () => {
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

  it('says nothing when the run ended before the base minute', () => {
    expect(growthAfter(series.slice(0, 5), 10)['rca']).toBeUndefined();
  });
});
