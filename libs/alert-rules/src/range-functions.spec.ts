import type { Sample } from './metric-series';
import { counterIncrease, counterRate, rangeFunctions, slope } from './range-functions';

/** Samples `values[i]` at `i * stepMs`. */
const series = (values: number[], stepMs = 1_000): Sample[] =>
  values.map((v, i) => ({ t: i * stepMs, v }));

describe('range functions', () => {
  it('counts a counter reset as a restart from zero', () => {
    expect(counterIncrease(series([10, 20, 5, 15]))).toBe(10 + 5 + 10);
    expect(counterRate(series([10, 20, 5, 15]))).toBeCloseTo(25 / 3);
  });

  it('has no rate without two samples or without time between them', () => {
    expect(counterRate(series([10]))).toBeUndefined();
    expect(
      counterRate([
        { t: 0, v: 1 },
        { t: 0, v: 2 },
      ]),
    ).toBeUndefined();
  });

  it('gives the per-second slope of a steady rise, through noise', () => {
    const mib = 1024 * 1024;
    const rising = series(
      [0, 1, 2, 3, 4, 5].map((i) => 100 * mib + i * 2 * mib + (i % 2) * 0.1 * mib),
      1_000,
    );
    expect((slope(rising) ?? Number.NaN) / mib).toBeCloseTo(2, 0);
    expect(slope(series([7, 7, 7]))).toBe(0);
    expect(
      slope([
        { t: 5, v: 1 },
        { t: 5, v: 2 },
      ]),
    ).toBeUndefined();
  });

  it('aggregates gauges over the window', () => {
    const window = series([3, 1, 2]);
    expect(rangeFunctions.avg(window)).toBe(2);
    expect(rangeFunctions.min(window)).toBe(1);
    expect(rangeFunctions.max(window)).toBe(3);
    expect(rangeFunctions.sum(window)).toBe(6);
    expect(rangeFunctions.last(window)).toBe(2);
  });
});
