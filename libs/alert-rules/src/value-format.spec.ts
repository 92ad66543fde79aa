import { formatBytes, formatDuration, formatNumber, formatValue } from './value-format';

describe('formatValue', () => {
  it('writes each unit the way an on-call engineer reads it', () => {
    expect(formatValue(0.0734, 'ratio')).toBe('7.34%');
    expect(formatValue(0.95, 'ratio')).toBe('95%');
    expect(formatValue(734.2, 'milliseconds')).toBe('734 ms');
    expect(formatValue(1_250, 'milliseconds')).toBe('1.25 s');
    expect(formatValue(20, 'seconds')).toBe('20s');
    expect(formatValue(0.1023, 'delaySeconds')).toBe('102 ms');
    expect(formatValue(536_870_912, 'bytes')).toBe('512 MiB');
    expect(formatValue(1_572_864, 'bytesPerSecond')).toBe('1.5 MiB/s');
    expect(formatValue(3.21, 'perSecond')).toBe('3.21/s');
    expect(formatValue(0.1 + 0.2)).toBe('0.3');
  });

  it('keeps three significant digits, and whole numbers from 100', () => {
    expect(formatNumber(0.000123456)).toBe('0.000123');
    expect(formatNumber(12345.678)).toBe('12346');
    expect(formatNumber(-2.5)).toBe('-2.5');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });

  it('climbs binary units and writes durations in minutes and hours', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GiB');
    expect(formatDuration(125)).toBe('2m 5s');
    expect(formatDuration(120)).toBe('2m');
    expect(formatDuration(3_780)).toBe('1h 3m');
  });
});
