import { meanShiftChangePoint } from './change-point';

describe('meanShiftChangePoint', () => {
  it('splits at the first point of the shifted segment', () => {
    const values = [0, 0.1, -0.1, 0, 0.2, 5, 5.1, 4.9, 5];
    const found = meanShiftChangePoint(values);
    expect(found.index).toBe(5);
    expect(found.statistic).toBeGreaterThan(5);
  });

  it('searches only the given range', () => {
    const values = [9, 9, 9, 0, 0, 0, 3, 3, 3, 9];
    expect(meanShiftChangePoint(values, 3, 9).index).toBe(6);
  });

  it('finds nothing in a constant or too short range', () => {
    expect(meanShiftChangePoint([2, 2, 2, 2]).statistic).toBe(0);
    expect(meanShiftChangePoint([1], 0, 1)).toEqual({ index: 0, statistic: 0 });
  });
});
