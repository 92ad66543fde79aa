import type { MetricSeries } from '../rca-case';
import { metricBaseline, scoreMetric } from './metric-change-scorer';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const times = Array.from({ length: 120 }, (_, i) => T0 + i * 10_000);
const values = times.map((_, i) => 100 + Math.sin(i * 1.7) * 4 + (i >= 90 ? 40 : 0));
const series: MetricSeries = { service: 's', metric: 'latency', times, values };

describe('precomputed metric baselines', () => {
  it('score exactly as the points before the anomalous period would', () => {
    const baseline = metricBaseline(series, times[90]);
    expect(baseline?.points).toBe(90);
    expect(scoreMetric({ ...series, baseline }, times[90])).toEqual(scoreMetric(series, times[90]));
  });

  it('are not used when they end after the anomalous period began, or long before it', () => {
    const late = metricBaseline(series, times[100]);
    const old = { median: 0, scale: 1, until: times[20], points: 20 };
    expect(scoreMetric({ ...series, baseline: late }, times[90])).toEqual(
      scoreMetric(series, times[90]),
    );
    expect(scoreMetric({ ...series, baseline: old }, times[90] + 10 * 60_000, undefined)).toEqual(
      scoreMetric(series, times[90] + 10 * 60_000),
    );
  });
});
