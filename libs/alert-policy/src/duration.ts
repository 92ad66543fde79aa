import { PolicyError } from './policy-error';

const DAY_MS = 86_400_000;

const units: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: DAY_MS,
  w: 7 * DAY_MS,
};

/**
 * The longest a silence or a one-off maintenance window may last, and how far ahead of now it
 * may end: five years (1825 days). A silence meant for ever is better an inhibition rule or a
 * fixed alert; and an end past year 9999 is no time at all.
 */
export const MAX_POLICY_SPAN_MS = 1825 * DAY_MS;
/** MAX_POLICY_SPAN_MS as people read it, for messages. */
export const MAX_POLICY_SPAN_TEXT = '1825d (5 years)';

/**
 * A duration as people write it for a silence: `90m`, `2h`, `1h30m`, `1d`, `2w`. In ms, at most
 * MAX_POLICY_SPAN_MS.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed)
    throw new PolicyError(`bad duration "${text}": write it like 90m, 2h, 1h30m or 1d`);
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * (units[unit ?? ''] ?? 0), 0);
  if (ms <= 0) throw new PolicyError(`bad duration "${text}": it must be longer than zero`);
  // so many digits that the sum is Infinity fail this too
  if (!(ms <= MAX_POLICY_SPAN_MS))
    throw new PolicyError(`duration: too long ("${text}"): at most ${MAX_POLICY_SPAN_TEXT}`);
  return ms;
}
