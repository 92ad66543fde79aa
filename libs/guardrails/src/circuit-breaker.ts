import { type CircuitBreakerSettings, circuitBreakerSettingsSchema } from './policy';

/** What finished: a remediation (a plan's live execution) and whether a human approved it. */
export interface RemediationOutcome {
  result: 'succeeded' | 'failed';
  humanApproved: boolean;
}

/** The breaker's whole memory, plain JSON: store it anywhere and restore it later. */
export interface CircuitSnapshot {
  status: 'closed' | 'open';
  /** Times (epoch ms) of failed automatic remediations while closed. */
  failures: number[];
  openedAt?: number;
  /** The cool-down runs from the last failure, so a failure while open extends it. */
  lastFailureAt?: number;
}

export type CircuitState =
  | { status: 'closed'; recentFailures: number }
  | { status: 'open'; openedAt: number; closesAt: number };

export const CLOSED_CIRCUIT: CircuitSnapshot = { status: 'closed', failures: [] };

/**
 * The circuit breaker as an immutable state machine over explicit times.
 * Closed: failed automatic remediations are counted in a sliding window; the threshold opens it.
 * Failures of human-approved remediations do not count: a human chose to try.
 * Open: every plan needs a human. It closes on the first success of a human-approved
 * remediation (a person watched the system recover), or by itself `coolDownSeconds` after the
 * last failure; any failure while open, approved or not, restarts that cool-down.
 */
export class CircuitBreaker {
  private constructor(
    readonly settings: CircuitBreakerSettings,
    private readonly snapshot: CircuitSnapshot,
  ) {}

  static create(settings: Partial<CircuitBreakerSettings> = {}): CircuitBreaker {
    return new CircuitBreaker(circuitBreakerSettingsSchema.parse(settings), CLOSED_CIRCUIT);
  }

  static restore(
    snapshot: CircuitSnapshot,
    settings: Partial<CircuitBreakerSettings> = {},
  ): CircuitBreaker {
    return new CircuitBreaker(circuitBreakerSettingsSchema.parse(settings), {
      ...snapshot,
      failures: [...snapshot.failures],
    });
  }

  state(at: number): CircuitState {
    const s = this.settled(at);
    if (s.status === 'open') {
      return { status: 'open', openedAt: s.openedAt ?? at, closesAt: this.closesAt(s) };
    }
    return { status: 'closed', recentFailures: this.inWindow(s.failures, at).length };
  }

  /** A new breaker with the outcome applied; this one is unchanged. */
  record(outcome: RemediationOutcome, at: number): CircuitBreaker {
    const s = this.settled(at);
    const next =
      s.status === 'open' ? this.whileOpen(s, outcome, at) : this.whileClosed(s, outcome, at);
    return new CircuitBreaker(this.settings, next);
  }

  toJSON(): CircuitSnapshot {
    return { ...this.snapshot, failures: [...this.snapshot.failures] };
  }

  private whileOpen(s: CircuitSnapshot, outcome: RemediationOutcome, at: number): CircuitSnapshot {
    if (outcome.result === 'failed') return { ...s, lastFailureAt: at };
    return outcome.humanApproved ? CLOSED_CIRCUIT : s;
  }

  private whileClosed(
    s: CircuitSnapshot,
    outcome: RemediationOutcome,
    at: number,
  ): CircuitSnapshot {
    if (outcome.result !== 'failed' || outcome.humanApproved) return s;
    const failures = [...this.inWindow(s.failures, at), at];
    if (failures.length < this.settings.failureThreshold) return { status: 'closed', failures };
    return { status: 'open', failures: [], openedAt: at, lastFailureAt: at };
  }

  /** The snapshot as it stands at `at`: an open circuit past its cool-down is closed. */
  private settled(at: number): CircuitSnapshot {
    const s = this.snapshot;
    return s.status === 'open' && at >= this.closesAt(s) ? CLOSED_CIRCUIT : s;
  }

  private closesAt(s: CircuitSnapshot): number {
    return (s.lastFailureAt ?? s.openedAt ?? 0) + this.settings.coolDownSeconds * 1000;
  }

  private inWindow(failures: readonly number[], at: number): number[] {
    const from = at - this.settings.windowSeconds * 1000;
    return failures.filter((t) => t > from && t <= at);
  }
}
