import type { RemediationExecution } from '@vigil/contracts';
import {
  CLOSED_CIRCUIT,
  CircuitBreaker,
  type CircuitBreakerSettings,
  type CircuitSnapshot,
} from '@vigil/guardrails';
import { eventIds } from './event-ids';

export interface CircuitRecorded {
  circuit: CircuitSnapshot;
  /** circuit-opened / circuit-closed, to publish with the plan's end. */
  events: RemediationExecution[];
}

/**
 * Feeds the ends of plans among `events` (plan-completed, plan-aborted with a failed outcome) to
 * the circuit breaker, which is shared by every plan of the environment; emits circuit-opened and
 * circuit-closed when an end flips it. Ids derive from the plan, so a replay adds nothing new.
 */
export function recordCircuit(
  circuit: CircuitSnapshot,
  events: readonly RemediationExecution[],
  settings: Partial<CircuitBreakerSettings> = {},
): CircuitRecorded {
  const out: RemediationExecution[] = [];
  let breaker = CircuitBreaker.restore(circuit, settings);
  for (const end of events.filter(isPlanEnd)) {
    const at = Date.parse(end.at);
    const outcome = outcomeOf(end);
    if (!outcome) continue;
    const before = breaker.state(at).status;
    breaker = breaker.record(outcome, at);
    const after = breaker.state(at).status;
    if (before !== after) out.push(circuitEvent(end, after === 'open' ? 'opened' : 'closed'));
  }
  return { circuit: breaker.toJSON(), events: out };
}

/**
 * The breaker's snapshot from the whole executions topic, for a restart: the ends of the plans run
 * in `environment` (failures elsewhere say nothing about this one). A plan whose verdicts name no
 * environment counts everywhere, as a breaker errs towards a human. Each end counts once however
 * often it was delivered.
 */
export function rebuildCircuit(
  events: readonly RemediationExecution[],
  settings: Partial<CircuitBreakerSettings> = {},
  environment?: string,
): CircuitSnapshot {
  const elsewhere = new Set(
    events
      .filter((e) => e.type === 'verdict' && otherEnvironment(e, environment))
      .map((e) => e.planId),
  );
  const seen = new Set<string>();
  const ends = events.filter(
    (e) => isPlanEnd(e) && !elsewhere.has(e.planId) && !seen.has(e.eventId) && seen.add(e.eventId),
  );
  return recordCircuit(CLOSED_CIRCUIT, ends, settings).circuit;
}

function otherEnvironment(verdict: RemediationExecution, environment: string | undefined) {
  const named = verdict.detail['environment'];
  return environment !== undefined && typeof named === 'string' && named !== environment;
}

const isPlanEnd = (e: RemediationExecution): boolean =>
  e.type === 'plan-completed' || e.type === 'plan-aborted';

function outcomeOf(
  end: RemediationExecution,
): { result: 'succeeded' | 'failed'; humanApproved: boolean } | undefined {
  const result = end.detail['outcome'];
  if (result !== 'succeeded' && result !== 'failed') return undefined;
  return { result, humanApproved: end.detail['humanApproved'] === true };
}

function circuitEvent(
  end: RemediationExecution,
  change: 'opened' | 'closed',
): RemediationExecution {
  return {
    schemaVersion: 1,
    eventId: eventIds.circuit(end.planId, change),
    planId: end.planId,
    incidentId: end.incidentId,
    type: change === 'opened' ? 'circuit-opened' : 'circuit-closed',
    at: end.at,
    detail: { after: end.eventId, outcome: String(end.detail['outcome']) },
  };
}
