import { MAX_POLICY_SPAN_MS, parseDuration } from './duration';

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

  it('takes up to five years', () => {
    expect(parseDuration('1825d')).toBe(MAX_POLICY_SPAN_MS);
    expect(parseDuration('260w')).toBe(260 * 7 * 86_400_000);
  });

  it.each(['99999999999w', '1826d', '1825d1ms', `${'9'.repeat(400)}w`])(
    'refuses %p as too long, naming the field and the limit',
    (text) => {
      expect(() => parseDuration(text)).toThrow(
        `duration: too long ("${text}"): at most 1825d (5 years)`,
      );
    },
  );
});
