/**
 * `Number.isFinite`, for per-point loops. Node 20's optimizing compiler boxes a double it passes
 * to `Number.isFinite` (a heap allocation per call): over every point of every series of a large
 * topology that was most of a ranking's garbage and a third of its time. The same test spelled
 * with a subtraction stays on the unboxed value: only a finite number minus itself is 0 (NaN and
 * the infinities give NaN), and anything not a number is refused first, as `Number.isFinite` does.
 */
export function isFiniteNumber(value: unknown): boolean {
  return typeof value === 'number' && value - value === 0;
}
