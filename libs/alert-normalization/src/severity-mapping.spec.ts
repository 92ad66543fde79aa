import { severityFromText } from './severity-mapping';

describe('severityFromText', () => {
  it.each([
    ['critical', 'critical'],
    ['page', 'critical'],
    ['High', 'critical'],
    ['error', 'error'],
    ['major', 'error'],
    ['warning', 'warning'],
    [' WARN ', 'warning'],
    ['minor', 'warning'],
    ['info', 'info'],
    ['low', 'info'],
    ['none', 'info'],
  ])('maps %s to %s', (word, level) => {
    expect(severityFromText(word)).toBe(level);
  });

  it('knows nothing of unknown words, absent values or object keys', () => {
    expect(severityFromText('P1')).toBeUndefined();
    expect(severityFromText(undefined)).toBeUndefined();
    expect(severityFromText('constructor')).toBeUndefined();
    expect(severityFromText('toString')).toBeUndefined();
  });
});
