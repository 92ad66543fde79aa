import { columnBars, formatDuration, formatPercent, niceMax, rowBars } from './report-charts';

describe('report charts', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 7, 13, 41, 120, 999].map(niceMax)).toEqual([1, 0.5, 10, 20, 50, 200, 1000]);
  });

  it('draws columns in proportion, the largest up to its round axis', () => {
    const { bars, max } = columnBars(
      [
        { label: 'a', value: 10 },
        { label: 'b', value: 5 },
        { label: 'c', value: 0 },
      ],
      300,
      100,
    );
    expect(max).toBe(10);
    expect(bars.map((b) => b.height)).toEqual([100, 50, 0]);
    expect(bars.map((b) => b.y)).toEqual([0, 50, 100]);
    expect(bars[1]?.x).toBeCloseTo(102, 5);
    expect(bars[0]?.width).toBeCloseTo(96, 5);
  });

  it('draws rows with the longest value full width', () => {
    const rows = rowBars(
      [
        { label: 'checkout', value: 8 },
        { label: 'cart', value: 2 },
      ],
      200,
      20,
    );
    expect(rows.map((r) => [r.width, r.y])).toEqual([
      [200, 0],
      [50, 20],
    ]);
  });

  it('formats figures people read at a glance', () => {
    expect([null, 45_000, 720_000, 12_600_000, 190_000_000].map(formatDuration)).toEqual([
      '–',
      '45 s',
      '12 min',
      '3.5 h',
      '2.2 d',
    ]);
    expect(formatPercent(0.6)).toBe('60.0%');
    expect(formatPercent(null)).toBe('–');
  });
});
