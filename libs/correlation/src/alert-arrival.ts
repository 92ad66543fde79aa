import type { Alert } from '@vigil/contracts';

/** How far ahead of the router's clock an alert's `receivedAt` may be: clocks drift a little. */
export const ARRIVAL_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The alert as the correlator should see it arrive: `receivedAt` no later than `now` plus a little
 * skew. The correlator's clock is the latest arrival it has seen, and it never goes back: one
 * alert stamped in 2099 (any producer on a plaintext cluster can write the raw topic) would resolve
 * every live incident at once, open the next re-sends as new incidents dated 2099, and be kept in
 * the snapshot. Times in the past are left alone: a replay of old alerts is read as it was.
 * Returns the alert itself when it needs no change.
 */
export function clampArrival(
  alert: Alert,
  now: number,
  skewMs = ARRIVAL_CLOCK_SKEW_MS,
): { alert: Alert; clampedFrom?: string } {
  const latest = now + skewMs;
  if (Date.parse(alert.receivedAt) <= latest) return { alert };
  return {
    alert: { ...alert, receivedAt: new Date(latest).toISOString() },
    clampedFrom: alert.receivedAt,
  };
}
