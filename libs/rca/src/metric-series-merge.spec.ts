import { mergeMetricSeries } from './metric-series-merge';
import type { MetricSeries } from './rca-case';

const series = (
  service: string,
  metric: string,
  times: number[],
  values = times.map(() => 1),
): MetricSeries => ({
  service,
  metric,
  times,
  values,
});

describe('merging streamed and stored metric series', () => {
  it('takes every series only one source has', () => {
    const streamed = [series('cart', 'http_error_ratio', [10, 20])];
    const stored = [series('checkout', 'http_error_ratio', [10, 20]), series('cart', 'up', [10])];
    expect(mergeMetricSeries(streamed, stored).map((s) => `${s.service} ${s.metric}`)).toEqual([
      'cart http_error_ratio',
      'checkout http_error_ratio',
      'cart up',
    ]);
  });

  it('makes one series of one both have: older stored points, then the streamed ones', () => {
    const streamed = [series('cart', 'up', [30, 40], [0, 0])];
    const stored = [series('cart', 'up', [0, 10, 20, 30, 40], [1, 1, 1, 1, 1])];
    expect(mergeMetricSeries(streamed, stored)).toEqual([
      series('cart', 'up', [0, 10, 20, 30, 40], [1, 1, 1, 0, 0]),
    ]);
  });

  it('adds the stored points after the stream stopped (a crashed service publishes nothing)', () => {
    const streamed = [series('cart', 'up', [0, 10], [1, 1])];
    const stored = [series('cart', 'up', [0, 10, 20, 30], [1, 1, 0, 0])];
    expect(mergeMetricSeries(streamed, stored)).toEqual([
      series('cart', 'up', [0, 10, 20, 30], [1, 1, 0, 0]),
    ]);
  });

  it("keeps the stream's baseline when the store adds no older point, and drops it when it does", () => {
    const baseline = { median: 1, scale: 0.1, until: 25, points: 3 };
    const streamed = [{ ...series('cart', 'up', [10, 20, 30]), baseline }];
    expect(mergeMetricSeries(streamed, [series('cart', 'up', [10, 20, 40])])[0]).toEqual({
      ...series('cart', 'up', [10, 20, 30, 40]),
      baseline,
    });
    expect(mergeMetricSeries(streamed, [series('cart', 'up', [0, 10])])[0]).toEqual(
      series('cart', 'up', [0, 10, 20, 30]),
    );
  });

  it('takes the stored series whole for a streamed one without points', () => {
    expect(mergeMetricSeries([series('cart', 'up', [])], [series('cart', 'up', [0, 10])])).toEqual([
      series('cart', 'up', [0, 10]),
    ]);
  });

  it('leaves the stream as it is without a store (Prometheus missing)', () => {
    const streamed = [series('cart', 'up', [10, 20])];
    expect(mergeMetricSeries(streamed, [])).toEqual(streamed);
  });
});
