import type { NotificationAction } from './notification-event';

/** One delivery: the same receiver, incident and action is sent at most once. */
export function deliveryKey(
  receiver: string,
  incidentId: string,
  action: NotificationAction,
): string {
  return `${receiver}|${incidentId}|${action}`;
}

export interface RetrySchedule {
  /** Attempts in all, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

/**
 * How long to wait before attempt `attempt + 1` after `attempt` failed (1-based): exponential from
 * `baseMs`, capped at `maxMs`, with "equal jitter" (half fixed, half random) so receivers that
 * come back are not hit by every sender at once, and the wait never drops below half the step.
 * `random` is in [0, 1); undefined once the attempts are used up.
 */
export function retryDelayMs(
  schedule: RetrySchedule,
  attempt: number,
  random: number,
): number | undefined {
  if (attempt >= schedule.attempts) return undefined;
  const step = Math.min(schedule.maxMs, schedule.baseMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + (step / 2) * Math.min(Math.max(random, 0), 1));
}

/** Whether a response status is worth another try: 429 and 5xx are; other 4xx will fail again. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
