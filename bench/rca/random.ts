import { Rng } from '../correlation/prng';

/** Distributions the generator needs on top of the shared seeded PRNG (bench/correlation/prng.ts). */

export { Rng };

/** Standard normal (Box-Muller); one draw per call keeps streams easy to reason about. */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Poisson counts: Knuth for small means, a rounded normal for large ones (where it is exact enough). */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rng)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Lognormal multiplier with median 1: multiplicative noise that never turns a latency negative. */
export function lognormal(rng: Rng, sigma: number): number {
  return Math.exp(sigma * gaussian(rng));
}
