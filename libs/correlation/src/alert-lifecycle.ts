import type { Alert } from '@vigil/contracts';
import type { CorrelationConfig, ResolveTimeoutRule } from './correlation-config';
import type { TrackedAlert } from './incident-state';

/** The alert fields a resolve-timeout rule may name; any other key is a label. */
const alertFields = ['source', 'service', 'alertname', 'severity'] as const;

function matches(alert: Alert, rule: ResolveTimeoutRule): boolean {
  return Object.entries(rule.match).every(([key, value]) => {
    const field = (alertFields as readonly string[]).includes(key)
      ? alert[key as (typeof alertFields)[number]]
      : alert.labels[key];
    return field === value;
  });
}

/** How long the alert may go without a re-send before it counts as resolved. */
export function resolveTimeoutOf(alert: Alert, config: CorrelationConfig): number {
  return (
    config.resolveTimeouts.find((rule) => matches(alert, rule))?.timeoutMs ??
    config.resolveTimeoutMs
  );
}

/** The longest an alert may go without a re-send before it counts as resolved, whatever it is. */
export function longestResolveTimeout(config: CorrelationConfig): number {
  return Math.max(config.resolveTimeoutMs, ...config.resolveTimeouts.map((r) => r.timeoutMs));
}

/**
 * When a firing alert received at `now` resolves unless it is sent again: at its own `endsAt`
 * when the source gives one in the future (Alertmanager does), else after its resolve timeout.
 */
export function alertDeadline(
  alert: Alert,
  now: number,
  config: CorrelationConfig,
): Pick<TrackedAlert, 'expiresAt' | 'expiry'> {
  const endsAt = alert.endsAt ? Date.parse(alert.endsAt) : NaN;
  if (Number.isFinite(endsAt) && endsAt > now) return { expiresAt: endsAt, expiry: 'expired' };
  return { expiresAt: now + resolveTimeoutOf(alert, config), expiry: 'resolve-timeout' };
}

/**
 * Records a change between firing and resolved at `now`, and whether the alert now flaps: enough
 * changes within the flap window. A quiet window clears the mark.
 */
export function noteTransition(
  tracked: TrackedAlert,
  now: number,
  config: CorrelationConfig,
): void {
  const recent = (tracked.transitions ?? []).filter((t) => now - t <= config.flapWindowMs);
  recent.push(now);
  tracked.transitions = recent.slice(-config.flapTransitions);
  tracked.flapping = recent.length >= config.flapTransitions;
}

/**
 * A resolved alert fires again at `now`: after a long quiet it is new trouble, after a short one
 * it continues its run (a rule that keeps coming back is as chronic as one that never stops).
 */
export function refire(tracked: TrackedAlert, now: number, config: CorrelationConfig): void {
  const quietSince = tracked.endedAt ?? tracked.lastSeen;
  if (now - quietSince > config.chronicAfterMs) tracked.since = now;
}

/** Long-running or repeating: not by itself a reason for new alerts to join its incident. */
export function isChronic(tracked: TrackedAlert, now: number, config: CorrelationConfig): boolean {
  return !!tracked.flapping || now - (tracked.since ?? tracked.firstSeen) >= config.chronicAfterMs;
}
