import { PolicyError } from './policy-error';

const units: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** A duration as people write it for a silence: `90m`, `2h`, `1h30m`, `1d`, `2w`. In ms. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed)
    throw new PolicyError(`bad duration "${text}": write it like 90m, 2h, 1h30m or 1d`);
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * (units[unit ?? ''] ?? 0), 0);
  if (ms <= 0) throw new PolicyError(`bad duration "${text}": it must be longer than zero`);
  return ms;
}
