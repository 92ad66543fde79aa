import { isGoZeroTime, optionalText, toUtcIso, truncateText } from './alert-fields';

describe('alert fields', () => {
  it('writes any RFC 3339 time as UTC milliseconds', () => {
    expect(toUtcIso('2026-11-27T10:02:31.482345678Z')).toBe('2026-11-27T10:02:31.482Z');
    expect(toUtcIso('2026-11-27T12:02:31+02:00')).toBe('2026-11-27T10:02:31.000Z');
    expect(toUtcIso('2026-11-27T10:02:31.5-01:30')).toBe('2026-11-27T11:32:31.500Z');
  });

  it("recognizes Go's zero time", () => {
    expect(isGoZeroTime('0001-01-01T00:00:00Z')).toBe(true);
    expect(isGoZeroTime('2026-01-01T00:00:00Z')).toBe(false);
  });

  it('cuts text with a visible mark and drops blank text', () => {
    expect(truncateText('abcdef', 4)).toBe('abc…');
    expect(truncateText('abcd', 4)).toBe('abcd');
    expect(optionalText('   ', 10)).toBeUndefined();
    expect(optionalText(undefined, 10)).toBeUndefined();
  });
});
