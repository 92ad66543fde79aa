import type { CallSpan } from '@vigil/contracts';
import {
  CallsWindow,
  mergeObservation,
  observationOf,
  type CallObservation,
} from './observed-calls';

const t0 = Date.parse('2026-01-01T00:00:00Z');

function span(overrides: Partial<CallSpan> = {}): CallSpan {
  return {
    schemaVersion: 1,
    caller: 'checkout',
    callee: 'payment',
    time: new Date(t0).toISOString(),
    status: 'ok',
    count: 1,
    ...overrides,
  };
}

let offset = 0;
function seen(overrides: Partial<CallSpan> = {}, partition = 0): CallObservation {
  const observation = observationOf(span(overrides), { partition, offset: offset++ });
  if (!observation) throw new Error('expected an observation');
  return observation;
}

describe('observationOf', () => {
  it('counts a reporter batch as its count, and errors only when its status is error', () => {
    expect(observationOf(span({ count: 5 }), { partition: 2, offset: 7 })).toEqual({
      caller: 'checkout',
      callee: 'payment',
      at: t0,
      calls: 5,
      errors: 0,
      durationMs: undefined,
      partition: 2,
      offset: 7,
    });
    expect(
      observationOf(span({ count: 3, status: 'error' }), { partition: 0, offset: 1 }),
    ).toMatchObject({ calls: 3, errors: 3 });
  });

  it('ignores a service calling itself', () => {
    expect(
      observationOf(span({ callee: 'checkout' }), { partition: 0, offset: 1 }),
    ).toBeUndefined();
  });
});

describe('mergeObservation', () => {
  it('adds calls, errors and durations, and only widens the time range', () => {
    let sum = mergeObservation(undefined, seen({ durationMs: 10 }));
    sum = mergeObservation(sum, seen({ durationMs: 40, count: 2, status: 'error' }));
    sum = mergeObservation(sum, seen({ time: new Date(t0 - 5000).toISOString() }));
    sum = mergeObservation(sum, seen({ time: new Date(t0 + 5000).toISOString() }));
    expect(sum).toMatchObject({
      calls: 5,
      errors: 2,
      timedCalls: 3,
      durationMsTotal: 90,
      firstSeenAt: t0 - 5000,
      lastSeenAt: t0 + 5000,
    });
    // A late span does not move lastSeenAt back.
    sum = mergeObservation(sum, seen({ time: new Date(t0 - 60_000).toISOString() }));
    expect(sum.lastSeenAt).toBe(t0 + 5000);
    expect(sum.firstSeenAt).toBe(t0 - 60_000);
  });
});

describe('CallsWindow', () => {
  const windowMs = 10_000;

  it('flushes a new edge at once, then each edge at most once per window', () => {
    const window = new CallsWindow(windowMs);
    window.add(seen());
    expect(window.takeDue(0)).toHaveLength(1);

    window.add(seen());
    window.add(seen({ status: 'error' }));
    window.add(seen({ callee: 'cart' }));
    // cart is new and due at once; payment was flushed 1 s ago and waits.
    expect(window.takeDue(1000).map((s) => s.callee)).toEqual(['cart']);
    expect(window.takeDue(9_999)).toEqual([]);
    expect(window.takeDue(10_000)).toEqual([expect.objectContaining({ calls: 2, errors: 1 })]);
    expect(window.pendingEdges).toBe(0);
  });

  it('keeps the partitions of one edge apart: their offsets are not comparable', () => {
    const window = new CallsWindow(windowMs);
    window.add(seen({}, 0));
    window.add(seen({}, 1));
    expect(
      window
        .takeDue(0)
        .map((s) => s.partition)
        .sort(),
    ).toEqual([0, 1]);
  });

  it('skips offsets the graph already counted, and a message delivered twice', () => {
    const window = new CallsWindow(windowMs);
    const replayed = { ...seen(), offset: 100 };
    expect(window.knowsFloor(replayed)).toBe(false);
    window.setFloor(replayed, 100);
    expect(window.knowsFloor(replayed)).toBe(true);
    expect(window.add(replayed)).toBe(false);
    const next = { ...replayed, offset: 101 };
    expect(window.add(next)).toBe(true);
    expect(window.add(next)).toBe(false);
    expect(window.takeDue(0)).toEqual([expect.objectContaining({ calls: 1, lastOffset: 101 })]);
  });

  it('puts back a failed flush merged with what came meanwhile, and drains all at shutdown', () => {
    const window = new CallsWindow(windowMs);
    window.add(seen({ count: 2 }));
    const failed = window.takeDue(0);
    window.add(seen({ count: 3, status: 'error' }));
    window.putBack(failed);
    expect(window.takeDue(1000)).toEqual([]);
    expect(window.takeAll()).toEqual([expect.objectContaining({ calls: 5, errors: 3 })]);
    expect(window.pendingEdges).toBe(0);
  });
});
