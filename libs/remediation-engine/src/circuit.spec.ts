import type { RemediationExecution } from '@vigil/contracts';
import { CLOSED_CIRCUIT } from '@vigil/guardrails';
import { rebuildCircuit, recordCircuit } from './circuit';

const MIN = 60_000;
const T0 = Date.parse('2025-06-04T12:00:00Z');

function end(
  planId: string,
  outcome: string,
  minutes: number,
  humanApproved = false,
): RemediationExecution {
  return {
    schemaVersion: 1,
    eventId: `${planId}:plan:ended`,
    planId,
    incidentId: 'inc-1',
    type: outcome === 'succeeded' ? 'plan-completed' : 'plan-aborted',
    at: new Date(T0 + minutes * MIN).toISOString(),
    detail: { outcome, humanApproved },
  };
}

describe('circuit', () => {
  const failures = [end('p1', 'failed', 0), end('p2', 'failed', 10), end('p3', 'failed', 20)];

  it('opens on the third failed automatic remediation, with an event named after that plan', () => {
    const { circuit, events } = recordCircuit(CLOSED_CIRCUIT, failures);
    expect(circuit.status).toBe('open');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'circuit-opened',
        eventId: 'p3:circuit:opened',
        planId: 'p3',
      }),
    ]);
  });

  it('ignores ends that are not remediation outcomes and failures a human approved', () => {
    const { circuit, events } = recordCircuit(CLOSED_CIRCUIT, [
      end('p1', 'none', 0),
      end('p2', 'failed', 1, true),
      end('p3', 'failed', 2),
      end('p4', 'failed', 3),
    ]);
    expect(circuit).toEqual({ status: 'closed', failures: [T0 + 2 * MIN, T0 + 3 * MIN] });
    expect(events).toEqual([]);
  });

  it('closes on a human-approved success', () => {
    const open = recordCircuit(CLOSED_CIRCUIT, failures).circuit;
    const { circuit, events } = recordCircuit(open, [end('p4', 'succeeded', 25, true)]);
    expect(circuit.status).toBe('closed');
    expect(events).toEqual([
      expect.objectContaining({ type: 'circuit-closed', eventId: 'p4:circuit:closed' }),
    ]);
  });

  it('rebuilds from the topic, counting each plan end once', () => {
    const log = [...failures.slice(0, 2), ...failures.slice(0, 2)];
    expect(rebuildCircuit(log).status).toBe('closed');
    expect(rebuildCircuit([...log, failures[2]]).status).toBe('open');
    expect(rebuildCircuit([...failures, ...failures], { failureThreshold: 3 })).toEqual(
      recordCircuit(CLOSED_CIRCUIT, failures).circuit,
    );
  });

  it('rebuilds from the failures of its own environment only', () => {
    const verdict = (planId: string, environment?: string): RemediationExecution => ({
      schemaVersion: 1,
      eventId: `${planId}:verdict`,
      planId,
      incidentId: 'inc-1',
      type: 'verdict',
      at: new Date(T0).toISOString(),
      detail: environment ? { verdict: 'allow', environment } : { verdict: 'allow' },
    });
    const staging = [verdict('p1', 'staging'), verdict('p2', 'staging'), verdict('p3', 'staging')];
    expect(rebuildCircuit([...staging, ...failures], {}, 'production').status).toBe('closed');
    expect(rebuildCircuit([...staging, ...failures], {}, 'staging').status).toBe('open');
    // a plan that names no environment counts everywhere: the breaker errs towards a human
    const unnamed = [verdict('p1', 'staging'), verdict('p2'), verdict('p3')];
    expect(rebuildCircuit([...unnamed, ...failures], {}, 'production')).toEqual({
      status: 'closed',
      failures: [T0 + 10 * MIN, T0 + 20 * MIN],
    });
  });
});
