/** What a numeric option must be: a whole number, and its lowest value (`min`) or the one it must exceed (`above`). */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  above?: number;
}

/**
 * A numeric option's value. `Number()` alone reads "abc" as NaN and "" as 0, which the commands
 * then ran with (a load that stopped at once, a ranking of no rows): what is wrong names the flag.
 */
export function numberOption(text: string, flag: string, rule: NumberRule = {}): number {
  const value = Number(text);
  const ok =
    text.trim() !== '' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isSafeInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above);
  if (ok) return value;
  const kind = rule.integer ? 'a whole number' : 'a number';
  const bound =
    rule.min !== undefined
      ? ` of ${rule.min} or more`
      : rule.above !== undefined
        ? ` above ${rule.above}`
        : '';
  throw new Error(`${flag} must be ${kind}${bound}, got "${text}"`);
}

/** `--port-offset`, which the shop and chaos commands share: a whole number of 0 or more. */
export const portOffsetOption = (text: string): number =>
  numberOption(text, '--port-offset', { integer: true, min: 0 });
