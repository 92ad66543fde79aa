import { isFiniteNumber } from './finite-number';

describe('isFiniteNumber', () => {
  it('answers as Number.isFinite does, for numbers and for anything else', () => {
    const values: unknown[] = [
      0,
      -0,
      1.5,
      -1e308,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      null,
      undefined,
      '1',
      '',
      true,
      [],
      {},
      1n,
    ];
    for (const value of values) expect(isFiniteNumber(value)).toBe(Number.isFinite(value));
  });
});
