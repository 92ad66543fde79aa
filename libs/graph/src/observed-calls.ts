import type { CallSpan } from '@vigil/contracts';

/** One span (or a reporter's batch of calls) with where it sits in `vigil.spans.v1`. */
export interface CallObservation {
  caller: string;
  callee: string;
  /** Event time, epoch ms. */
  at: number;
  calls: number;
  errors: number;
  durationMs?: number;
  partition: number;
  offset: number;
}

/** What is written to one CALLS edge in one flush: the sum of the observations since the last. */
export interface ObservedCalls {
  caller: string;
  callee: string;
  partition: number;
  calls: number;
  errors: number;
  /** Calls that came with a duration, and the sum of their durations (for the mean on the edge). */
  timedCalls: number;
  durationMsTotal: number;
  firstSeenAt: number;
  lastSeenAt: number;
  /** The highest offset included: the edge remembers it, so a replay is not counted twice. */
  lastOffset: number;
}

/**
 * A span of a service calling itself says nothing about the topology; it yields no observation
 * rather than a self-loop that would only add noise to paths.
 */
export function observationOf(
  span: CallSpan,
  position: { partition: number; offset: number },
): CallObservation | undefined {
  if (span.caller === span.callee) return undefined;
  return {
    caller: span.caller,
    callee: span.callee,
    at: Date.parse(span.time),
    calls: span.count,
    errors: span.status === 'error' ? span.count : 0,
    durationMs: span.durationMs,
    partition: position.partition,
    offset: position.offset,
  };
}

/** Adds one observation; the time range only widens, so a late span never moves lastSeenAt back. */
export function mergeObservation(
  sum: ObservedCalls | undefined,
  observation: CallObservation,
): ObservedCalls {
  const timed = observation.durationMs === undefined ? 0 : observation.calls;
  const duration = (observation.durationMs ?? 0) * timed;
  if (!sum) {
    return {
      caller: observation.caller,
      callee: observation.callee,
      partition: observation.partition,
      calls: observation.calls,
      errors: observation.errors,
      timedCalls: timed,
      durationMsTotal: duration,
      firstSeenAt: observation.at,
      lastSeenAt: observation.at,
      lastOffset: observation.offset,
    };
  }
  return {
    ...sum,
    calls: sum.calls + observation.calls,
    errors: sum.errors + observation.errors,
    timedCalls: sum.timedCalls + timed,
    durationMsTotal: sum.durationMsTotal + duration,
    firstSeenAt: Math.min(sum.firstSeenAt, observation.at),
    lastSeenAt: Math.max(sum.lastSeenAt, observation.at),
    lastOffset: Math.max(sum.lastOffset, observation.offset),
  };
}

/** Two sums of the same edge and partition, e.g. a failed flush put back before newer calls. */
export function mergeObservedCalls(a: ObservedCalls, b: ObservedCalls): ObservedCalls {
  return {
    ...a,
    calls: a.calls + b.calls,
    errors: a.errors + b.errors,
    timedCalls: a.timedCalls + b.timedCalls,
    durationMsTotal: a.durationMsTotal + b.durationMsTotal,
    firstSeenAt: Math.min(a.firstSeenAt, b.firstSeenAt),
    lastSeenAt: Math.max(a.lastSeenAt, b.lastSeenAt),
    lastOffset: Math.max(a.lastOffset, b.lastOffset),
  };
}

/** The key of what one flush writes: an edge, per partition (offsets are comparable only within one). */
export function observedCallsKey(x: { caller: string; callee: string; partition: number }): string {
  return `${x.partition}\u0000${x.caller}\u0000${x.callee}`;
}

/**
 * Sums observations per (caller, callee, partition) between flushes, so Neo4j is written at most
 * once per `windowMs` per edge instead of once per span. A pair not flushed within the window (a
 * new edge, or one quiet for a while) is due at once, so a new call shows up in the graph quickly.
 * Pure state: the caller passes the clock and does the writing.
 */
export class CallsWindow {
  private readonly pending = new Map<string, ObservedCalls>();
  private readonly lastFlushAt = new Map<string, number>();
  /** Per key, the offset up to which the graph already counted; read once, then kept here. */
  private readonly floors = new Map<string, number>();

  constructor(readonly windowMs: number) {}

  knowsFloor(observation: CallObservation): boolean {
    return this.floors.has(observedCallsKey(observation));
  }

  setFloor(observation: CallObservation, offset: number): void {
    const key = observedCallsKey(observation);
    this.floors.set(key, Math.max(offset, this.floors.get(key) ?? -1));
  }

  /** false when the graph already counted this offset (a replay after a restart). */
  add(observation: CallObservation): boolean {
    const key = observedCallsKey(observation);
    if (observation.offset <= (this.floors.get(key) ?? -1)) return false;
    this.pending.set(key, mergeObservation(this.pending.get(key), observation));
    this.floors.set(key, observation.offset);
    return true;
  }

  /** Takes the sums whose edge was last flushed at least a window ago (or never). */
  takeDue(now: number): ObservedCalls[] {
    const due: ObservedCalls[] = [];
    for (const [key, sum] of this.pending) {
      const last = this.lastFlushAt.get(key);
      if (last !== undefined && now - last < this.windowMs) continue;
      due.push(sum);
      this.pending.delete(key);
      this.lastFlushAt.set(key, now);
    }
    this.forgetQuietEdges(now);
    return due;
  }

  /** Takes everything, whatever the window: for shutdown. */
  takeAll(): ObservedCalls[] {
    const all = [...this.pending.values()];
    this.pending.clear();
    return all;
  }

  /** Puts back sums that could not be written, merged with what arrived meanwhile. */
  putBack(sums: readonly ObservedCalls[]): void {
    for (const sum of sums) {
      const key = observedCallsKey(sum);
      const newer = this.pending.get(key);
      this.pending.set(key, newer ? mergeObservedCalls(sum, newer) : sum);
    }
  }

  get pendingEdges(): number {
    return this.pending.size;
  }

  // A flush time older than the window no longer holds anything back: drop it to bound memory.
  private forgetQuietEdges(now: number): void {
    for (const [key, at] of this.lastFlushAt) {
      if (now - at >= this.windowMs && !this.pending.has(key)) this.lastFlushAt.delete(key);
    }
  }
}
