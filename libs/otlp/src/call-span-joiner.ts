import type { CallSpan } from '@vigil/contracts';
import { entityOfResource, entityOrUndefined } from './otlp-entity';
import { isWritableTime, type OtlpSpan } from './otlp-model';

export interface CallSpanJoinerOptions {
  /** Spans remembered as possible parents of spans still to come (oldest forgotten first). */
  maxSpans: number;
  /** Spans whose parent has not come yet, remembered at most (oldest forgotten first). */
  maxWaiting: number;
}

export const defaultCallSpanJoinerOptions: CallSpanJoinerOptions = {
  maxSpans: 100_000,
  maxWaiting: 20_000,
};

/** What is kept of a span to join its children to it. */
interface SpanFacts {
  service: string;
  kind: OtlpSpan['kind'];
  /** Set when the span itself made a call span from its peer attributes. */
  peer?: string;
  startMs: number;
  durationMs: number;
  error: boolean;
}

/** The longest duration `vigil.spans.v1` holds. */
const maxDurationMs = 86_400_000;

/** Loopback and IP addresses name a host, not a service: they are not callees. */
function isAddress(host: string): boolean {
  return (
    host === 'localhost' ||
    /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ||
    host.includes(':') ||
    /^\[.*\]$/.test(host)
  );
}

/**
 * The service a CLIENT span calls, from its attributes: `peer.service`, else `server.address`
 * (or the older `net.peer.name`) when it is a name rather than an IP address or localhost.
 */
export function peerOf(span: OtlpSpan): string | undefined {
  if (span.kind !== 'client') return undefined;
  const text = (key: string) => {
    const value = span.attributes[key];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const declared = text('peer.service');
  if (declared) return entityOrUndefined(declared);
  const host = text('server.address') ?? text('net.peer.name');
  return host && !isAddress(host) ? entityOrUndefined(host) : undefined;
}

const keyOf = (traceId: string, spanId: string) => `${traceId}/${spanId}`;

/** The calls some spans complete, found without changing the joiner: see `prepare`. */
export interface PreparedCalls {
  readonly calls: CallSpan[];
  /**
   * Makes the joiner remember the spans, and the children that still wait for their parents, as
   * `observe` does. Once at most, and before anything else is prepared or observed.
   */
  commit(): void;
}

/** What is kept of `span`. */
function factsOf(span: OtlpSpan): SpanFacts {
  const service = entityOfResource(span.resource);
  const peer = peerOf(span);
  return {
    service,
    kind: span.kind,
    ...(peer && peer !== service ? { peer } : {}),
    startMs: span.startMs,
    durationMs: Math.max(0, span.endMs - span.startMs),
    error: span.status === 'error',
  };
}

/**
 * Turns OTLP spans into Vigil's call spans (`vigil.spans.v1`), one per call between two services:
 * - a CLIENT span that names its peer (`peer.service`, `server.address`) is a call from its
 *   service to the peer, timed by the client;
 * - a span whose parent is in another service is a call from the parent's service to its own,
 *   unless the parent is such a CLIENT span (the call is counted once). A CLIENT parent times
 *   the call (what the caller waited); else the child does.
 * A call is in error when its span's status is ERROR (either end's, for a parent and child).
 * A trace's spans come in several messages (each service's Collector batch apart): spans are
 * remembered, and children wait for parents that have not come yet, within the bounds of the
 * options. The Collector's `partition_traces_by_id: true` keeps a trace on one partition, so one
 * consumer sees all of it.
 */
export class CallSpanJoiner {
  private readonly known = new Map<string, SpanFacts>();
  private readonly waiting = new Map<string, OtlpSpan[]>();
  private waitingCount = 0;
  /** Counts commits: calls prepared before the latest one are stale. */
  private commits = 0;

  constructor(private readonly options: CallSpanJoinerOptions = defaultCallSpanJoinerOptions) {}

  /**
   * The call spans that `spans` complete (with what earlier batches left waiting). A span whose
   * start or end is past 9999-12-31 (`isWritableTime`) is left out: a call cannot be dated by it.
   */
  observe(all: readonly OtlpSpan[]): CallSpan[] {
    const prepared = this.prepare(all);
    prepared.commit();
    return prepared.calls;
  }

  /**
   * The calls `observe` would make of `spans`, with the joiner left as it is until `commit`: a
   * consumer commits once it has published the calls, so that a retry after a failed publish
   * finds the same calls (a retry after `observe` would find none, the children it joined gone).
   */
  prepare(all: readonly OtlpSpan[]): PreparedCalls {
    const spans = all.filter((s) => isWritableTime(s.startMs) && isWritableTime(s.endMs));
    // The facts of these spans, over those known (the latest of a span sent twice).
    const facts = new Map<string, SpanFacts>();
    for (const span of spans) {
      const key = keyOf(span.traceId, span.spanId);
      facts.delete(key);
      facts.set(key, factsOf(span));
    }
    const lookUp = (key: string) => facts.get(key) ?? this.known.get(key);
    const calls: CallSpan[] = [];
    // Children whose parent is neither known nor among these spans: they wait for it.
    const waits = new Map<string, OtlpSpan[]>();
    for (const span of spans) {
      const own = lookUp(keyOf(span.traceId, span.spanId));
      if (own?.peer) calls.push(this.call(span, own.service, own.peer, own));
      if (span.parentSpanId) {
        const parentKey = keyOf(span.traceId, span.parentSpanId);
        const parent = lookUp(parentKey);
        if (parent) calls.push(...this.join(span, parent));
        else waits.set(parentKey, [...(waits.get(parentKey) ?? []), span]);
      }
    }
    // Children that earlier spans left waiting for one of these.
    const resolved = new Set<string>();
    for (const span of spans) {
      const key = keyOf(span.traceId, span.spanId);
      const children = this.waiting.get(key);
      const parent = facts.get(key);
      if (!children || !parent || resolved.has(key)) continue;
      resolved.add(key);
      calls.push(...children.flatMap((child) => this.join(child, parent)));
    }
    const preparedAt = this.commits;
    return {
      calls,
      commit: () => {
        if (this.commits !== preparedAt)
          throw new Error('CallSpanJoiner: the joiner changed since these calls were prepared');
        this.commits++;
        this.remember(facts);
        for (const key of resolved) this.stopWaiting(key);
        for (const [key, children] of waits) this.wait(key, children);
      },
    };
  }

  /** The spans' facts, in the order seen: the least recently seen are forgotten past maxSpans. */
  private remember(facts: Map<string, SpanFacts>): void {
    for (const [key, span] of facts) {
      this.known.delete(key);
      this.known.set(key, span);
    }
    while (this.known.size > this.options.maxSpans) this.forgetOldest(this.known);
  }

  private join(child: OtlpSpan, parent: SpanFacts): CallSpan[] {
    const service = entityOfResource(child.resource);
    if (parent.service === service || parent.peer) return [];
    const byClient = parent.kind === 'client' || parent.kind === 'producer';
    const childFacts = {
      startMs: child.startMs,
      durationMs: Math.max(0, child.endMs - child.startMs),
      error: child.status === 'error',
    };
    const timing = byClient ? parent : childFacts;
    return [
      this.call(child, parent.service, service, {
        ...timing,
        error: childFacts.error || (byClient && parent.error),
      }),
    ];
  }

  private call(
    span: OtlpSpan,
    caller: string,
    callee: string,
    timing: Pick<SpanFacts, 'startMs' | 'durationMs' | 'error'>,
  ): CallSpan {
    return {
      schemaVersion: 1,
      caller,
      callee,
      time: new Date(timing.startMs).toISOString(),
      durationMs: Math.min(timing.durationMs, maxDurationMs),
      status: timing.error ? 'error' : 'ok',
      count: 1,
      traceId: span.traceId,
      spanId: span.spanId,
    };
  }

  /** `children` wait for the span `parentKey`; the oldest waits are dropped past maxWaiting. */
  private wait(parentKey: string, children: OtlpSpan[]): void {
    this.waiting.set(parentKey, [...(this.waiting.get(parentKey) ?? []), ...children]);
    this.waitingCount += children.length;
    while (this.waitingCount > this.options.maxWaiting) {
      const oldest = this.waiting.keys().next();
      if (oldest.done) break;
      this.stopWaiting(oldest.value);
    }
  }

  private stopWaiting(parentKey: string): void {
    const children = this.waiting.get(parentKey);
    if (!children) return;
    this.waiting.delete(parentKey);
    this.waitingCount -= children.length;
  }

  private forgetOldest(map: Map<string, unknown>): void {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}
