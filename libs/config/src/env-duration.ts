import { z } from 'zod';

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;

/**
 * A duration variable: a whole number of milliseconds, named `..._MS`. One unit everywhere, the
 * unit the code uses, so a value is never converted twice or read in the wrong unit; a plain
 * integer also needs no parser of its own in shell scripts, compose files or dashboards.
 */
export const envDurationMs = (fallbackMs: number, bounds: { min?: number; max?: number } = {}) => {
  const min = bounds.min ?? 0;
  let schema = z.coerce
    .number({ error: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(min, `must be at least ${min} ms`);
  if (bounds.max !== undefined) schema = schema.max(bounds.max, `must be at most ${bounds.max} ms`);
  return schema.default(fallbackMs).meta({ unit: 'ms' });
};
