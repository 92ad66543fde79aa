import type { MetricSeries } from '@vigil/rca';
import { recordedIntervals, recordedPoints } from './recorded-intervals';

const s = 1_000;
const min = 60 * s;

describe('recordedIntervals', () => {
  it('joins the files of one snippet and keeps two snippets apart', () => {
    // two minute files a second and a half apart, then one a quarter of an hour later
    const files = [
      [0, 20 * s, 58 * s],
      [59.5 * s, 118 * s],
      [15 * min, 15 * min + 50 * s],
    ];
    expect(recordedIntervals(files, 10 * s)).toEqual([
      { from: 0, to: 118 * s },
      { from: 15 * min, to: 15 * min + 50 * s },
    ]);
  });

  it('reads files in any order and covers nothing for an empty file', () => {
    expect(recordedIntervals([[5 * min], [], [0, 30 * s]], 10 * s)).toEqual([
      { from: 0, to: 30 * s },
      { from: 5 * min, to: 5 * min },
    ]);
  });
});

describe('recordedPoints', () => {
  const series = (times: number[]): MetricSeries => ({
    service: 'checkout',
    metric: 'log_error_lines',
    times,
    values: times.map((_, i) => i),
  });

  it('drops the bins between snippets, where a count would read as a silent service', () => {
    const bins = [0, 10, 20, 30, 40, 50, 60].map((t) => t * s);
    const kept = recordedPoints(
      series(bins),
      [
        { from: 0, to: 20 * s },
        { from: 50 * s, to: 70 * s },
      ],
      10 * s,
    );
    expect(kept.times).toEqual([0, 10 * s, 50 * s, 60 * s]);
    expect(kept.values).toEqual([0, 1, 5, 6]);
  });

  it('keeps an edge bin only when most of it was recorded', () => {
    const kept = recordedPoints(series([0, 10 * s]), [{ from: 4 * s, to: 14 * s }], 10 * s);
    expect(kept.times).toEqual([0]);
  });
});
