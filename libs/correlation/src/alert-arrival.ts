import type { Alert } from '@vigil/contracts';

/**
 * How far ahead of the router's clock an alert's `receivedAt` may be: hosts' clocks drift a
 * little. Kept far under the shortest resolve timeout: the correlator's clock moves with the
 * latest arrival, and a clock moved ahead by as much as a resolve timeout ends live alerts.
 */
export const ARRIVAL_CLOCK_SKEW_MS = 10_000;

/**
 * The alert as the correlator should see it arrive: one stamped more than a little skew ahead of
 * `now` arrives `now`. The correlator's clock is the latest arrival it has seen and never goes
 * back: one alert stamped in 2099 (any producer on a plaintext cluster can write the raw topic)
 * would resolve every live incident at once, open the next re-sends as new incidents dated 2099,
 * and be kept in the snapshot. Times in the past are left alone: a replay of old alerts is read as
 * it was. Returns the alert itself when it needs no change.
 */
export function clampArrival(
  alert: Alert,
  now: number,
  skewMs = ARRIVAL_CLOCK_SKEW_MS,
): { alert: Alert; clampedFrom?: string } {
  if (Date.parse(alert.receivedAt) <= now + skewMs) return { alert };
  return {
    alert: { ...alert, receivedAt: new Date(now).toISOString() },
    clampedFrom: alert.receivedAt,
  };
}
