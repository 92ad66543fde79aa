import { growthAfter } from './rss-series';

describe('growthAfter', () => {
  const series = [0, 5, 10, 11, 12, 13].map((minute) => ({
    minute,
    rss: { rca: 100 + minute * 2, ingest: minute < 10 ? 300 : 100 },
  }));

  it('measures from the base minute to the mean of the last three samples', () => {
    const growth = growthAfter(series, 10);
    expect(growth['rca']).toEqual({ fromMiB: 120, toMiB: 124, percent: 3.3 });
    // what the warm-up took does not count
    expect(growth['ingest']).toEqual({ fromMiB: 100, toMiB: 100, percent: 0 });
  });

  it('says nothing when the run ended before the base minute', () => {
    expect(growthAfter(series.slice(0, 2), 10)['rca']).toBeUndefined();
  });
});
