/**
 * The life of one alert (one rule, one group of labels), as in Prometheus: `pending` while the
 * condition has held for less than `for`, then `firing`, then `resolved` once it clears (after
 * `keepFiringFor`). `inactive` is the absence of an alert: a pending alert whose condition clears
 * goes back to it without ever being notified.
 */
export type AlertState = 'inactive' | 'pending' | 'firing' | 'resolved';

export interface AlertTiming {
  readonly for: number;
  readonly keepFiringFor: number;
}

/** What the state machine remembers between evaluations (times in epoch milliseconds). */
export interface AlertPhase {
  readonly state: Exclude<AlertState, 'inactive'>;
  /** When the condition began to hold, this time round. */
  readonly activeAt: number;
  readonly firedAt?: number;
  readonly resolvedAt?: number;
  /** The last evaluation the condition held at; `keepFiringFor` counts from here. */
  readonly lastHeldAt: number;
}

function start(now: number, timing: AlertTiming): AlertPhase {
  return timing.for <= 0
    ? { state: 'firing', activeAt: now, firedAt: now, lastHeldAt: now }
    : { state: 'pending', activeAt: now, lastHeldAt: now };
}

function whileHolding(phase: AlertPhase, now: number, timing: AlertTiming): AlertPhase {
  if (phase.state === 'resolved') return start(now, timing);
  if (phase.state === 'pending' && now - phase.activeAt >= timing.for)
    return { ...phase, state: 'firing', firedAt: now, lastHeldAt: now };
  return { ...phase, lastHeldAt: now };
}

function whileClear(phase: AlertPhase, now: number, timing: AlertTiming): AlertPhase | undefined {
  if (phase.state === 'pending') return undefined;
  if (phase.state === 'resolved') return phase;
  if (now - phase.lastHeldAt < timing.keepFiringFor) return phase;
  return { ...phase, state: 'resolved', resolvedAt: now };
}

/** The next phase given whether the condition holds now; undefined is `inactive`. */
export function nextPhase(
  phase: AlertPhase | undefined,
  holds: boolean,
  now: number,
  timing: AlertTiming,
): AlertPhase | undefined {
  if (!phase) return holds ? start(now, timing) : undefined;
  return holds ? whileHolding(phase, now, timing) : whileClear(phase, now, timing);
}
