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

  constructor(private readonly options: CallSpanJoinerOptions = defaultCallSpanJoinerOptions) {}

  /**
   * The call spans that `spans` complete (with what earlier batches left waiting). A span whose
   * start or end is past 9999-12-31 (`isWritableTime`) is left out: a call cannot be dated by it.
   */
  observe(all: readonly OtlpSpan[]): CallSpan[] {
    const spans = all.filter((s) => isWritableTime(s.startMs) && isWritableTime(s.endMs));
    const calls: CallSpan[] = [];
    for (const span of spans) this.remember(span);
    for (const span of spans) {
      const facts = this.known.get(keyOf(span.traceId, span.spanId));
      if (facts?.peer) calls.push(this.call(span, facts.service, facts.peer, facts));
      if (span.parentSpanId) {
        const parent = this.known.get(keyOf(span.traceId, span.parentSpanId));
        if (parent) calls.push(...this.join(span, parent));
        else this.wait(span);
      }
    }
    for (const span of spans) calls.push(...this.resolveWaiting(span));
    return calls;
  }

  private remember(span: OtlpSpan): void {
    const key = keyOf(span.traceId, span.spanId);
    const service = entityOfResource(span.resource);
    const peer = peerOf(span);
    this.known.delete(key);
    this.known.set(key, {
      service,
      kind: span.kind,
      ...(peer && peer !== service ? { peer } : {}),
      startMs: span.startMs,
      durationMs: Math.max(0, span.endMs - span.startMs),
      error: span.status === 'error',
    });
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

  private wait(span: OtlpSpan): void {
    const key = keyOf(span.traceId, span.parentSpanId ?? '');
    this.waiting.set(key, [...(this.waiting.get(key) ?? []), span]);
    this.waitingCount += 1;
    while (this.waitingCount > this.options.maxWaiting) {
      const oldest = this.waiting.keys().next();
      if (oldest.done) break;
      this.waitingCount -= this.waiting.get(oldest.value)?.length ?? 0;
      this.waiting.delete(oldest.value);
    }
  }

  private resolveWaiting(parentSpan: OtlpSpan): CallSpan[] {
    const key = keyOf(parentSpan.traceId, parentSpan.spanId);
    const children = this.waiting.get(key);
    const parent = this.known.get(key);
    if (!children || !parent) return [];
    this.waiting.delete(key);
    this.waitingCount -= children.length;
    return children.flatMap((child) => this.join(child, parent));
  }

  private forgetOldest(map: Map<string, unknown>): void {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}
