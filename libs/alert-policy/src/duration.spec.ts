import { parseDuration } from './duration';

describe('parseDuration', () => {
  it('reads the units people use for silences, alone and together', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration('2d')).toBe(2 * 86_400_000);
    expect(parseDuration('45s')).toBe(45_000);
  });

  it.each(['', '2 hours', 'h', '1h 30m', '0m'])('refuses %p and says how to write it', (text) => {
    expect(() => parseDuration(text)).toThrow(/^bad duration/);
  });
});
