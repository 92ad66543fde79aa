import { numberOption } from './number-option';

describe('numberOption', () => {
  it('reads numbers within the rule', () => {
    expect(numberOption('5', '--top', { integer: true, min: 1 })).toBe(5);
    expect(numberOption('-30', '--late')).toBe(-30);
    expect(numberOption('0.5', '--rps', { above: 0 })).toBe(0.5);
  });

  it('names the flag and the value for what Number() would have let through', () => {
    expect(() => numberOption('abc', '--seconds', { above: 0 })).toThrow(
      '--seconds must be a number above 0, got "abc"',
    );
    expect(() => numberOption('', '--late')).toThrow('--late must be a number, got ""');
    expect(() => numberOption('1.5', '--top', { integer: true, min: 1 })).toThrow(
      '--top must be a whole number of 1 or more, got "1.5"',
    );
    expect(() => numberOption('0', '--top', { integer: true, min: 1 })).toThrow(/of 1 or more/);
  });
});
