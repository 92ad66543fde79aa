import type { MetricSeries, RcaEdge } from '../rca-case';
import { quantile } from '../signals/robust-statistics';
import { EventMixShift } from './event-mix-shift';
import type { SpanRecord } from './telemetry-records';

export interface SpanEvidenceOptions {
  /** Width of one time bin: each series gets one point per bin that has spans. */
  binMs: number;
}

export const defaultSpanEvidenceOptions: SpanEvidenceOptions = { binMs: 5_000 };

/** What traces say, in the shapes the ranker reads: series per service, and who calls whom. */
export interface SpanEvidence {
  series: MetricSeries[];
  /** CALLS edges seen from a parent span in one service to a child span in another. */
  edges: RcaEdge[];
  /** Spans per service (the services traces know of). */
  spansPerService: Map<string, number>;
}

/**
 * Per-service series from spans, per time bin:
 * - `trace_latency_p50/p90/p99`: durations of the service's entry spans (the spans that start
 *   its work: roots, and children of another service's span), what its callers wait for;
 * - `trace_request_count`: how many entry spans began;
 * - `trace_error_rate`: the share of entry spans in error, where spans say so;
 * - `trace_link_wait_p90{peer=P}`: per peer it calls or is called by, the time the caller waited
 *   beyond the callee's own span (the client span minus the callee's entry span). Both ends get
 *   the series: a delayed network, or a caller too starved to read its answers, shows on every
 *   link of the service at fault and on one link of each of its peers, and in none of the spans;
 * - `trace_calls_out_per_request`: calls to other services per entry span: work cut short
 *   (an exception, a wrong answer that ends a flow) changes the shape of traces before any
 *   latency moves;
 * - `trace_operation_shift`: how far the mix of the service's spans (its operations, and the
 *   services it calls) departs from what it did before (see EventMixShift): a code path that
 *   throws or returns early skips the work and the calls it used to make;
 * - `trace_path_shift` and `trace_path_novelty`: the same for whole requests, a minute at a time:
 *   a path is the entry operation with the calls it made to other services (which, not in which
 *   order: calls made in parallel finish in any order). A request cut short by an exception makes
 *   a path the service never made, while its operations stay the usual ones.
 */
export function spanEvidence(
  spans: readonly SpanRecord[],
  options: SpanEvidenceOptions = defaultSpanEvidenceOptions,
): SpanEvidence {
  const byId = new Map<string, SpanRecord>();
  const children = new Map<string, number>();
  for (const s of spans) byId.set(s.spanId, s);
  for (const s of spans)
    if (s.parentId) children.set(s.parentId, (children.get(s.parentId) ?? 0) + 1);

  const bins = new BinnedSeries(options.binMs);
  const edges = new Map<string, RcaEdge>();
  const entries = new EntryIndex(byId);
  const callsOut = new Map<string, number>();
  const spansPerService = new Map<string, number>();
  const shift = new EventMixShift();
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    shift.add(s.service, s.start, s.operation);
    const parent = s.parentId ? byId.get(s.parentId) : undefined;
    if (parent && parent.service !== s.service)
      shift.add(parent.service, s.start, `${parent.operation} > ${s.service}`);
  }
  for (const s of spans) {
    spansPerService.set(s.service, (spansPerService.get(s.service) ?? 0) + 1);
    const parent = s.parentId ? byId.get(s.parentId) : undefined;
    if (parent && parent.service === s.service) continue;
    // an entry span: its service's work for a caller (or for nobody: a root)
    bins.add(s.service, 'trace_latency', s.start, s.durationMs);
    bins.add(s.service, 'trace_error', s.start, s.error ? 1 : 0, s.error !== undefined);
    if (!parent) continue;
    const key = `${parent.service}\u0000${s.service}`;
    if (!edges.has(key)) edges.set(key, { from: parent.service, to: s.service, type: 'CALLS' });
    // the call counts for the caller's work it was made in
    const callerEntry = entries.of(parent);
    callsOut.set(callerEntry, (callsOut.get(callerEntry) ?? 0) + 1);
    // a parent with this one child is the caller's client span for this call
    // (either end may cause the wait: a slow link, or a caller too starved to read the answer)
    if (children.get(parent.spanId) === 1 && parent.durationMs >= s.durationMs) {
      const wait = parent.durationMs - s.durationMs;
      bins.add(s.service, linkKind(parent.service), s.start, wait);
      bins.add(parent.service, linkKind(s.service), s.start, wait);
    }
  }
  for (const s of spans)
    if (entries.of(s) === s.spanId)
      bins.add(s.service, 'trace_fanout', s.start, callsOut.get(s.spanId) ?? 0);
  const paths = requestPaths(spans, byId, entries);
  return {
    series: [
      ...bins.toSeries(),
      ...shift.toSeries('trace_operation_shift'),
      ...paths.toSeriesOf({ distance: 'trace_path_shift', novelty: 'trace_path_novelty' }),
    ],
    edges: [...edges.values()],
    spansPerService,
  };
}

/**
 * Each entry span's path: its operation and the calls its work made into other services, as
 * `operation > callee:operation, ...` (callees sorted), counted a minute at a time, like log paths.
 */
function requestPaths(
  spans: readonly SpanRecord[],
  byId: ReadonlyMap<string, SpanRecord>,
  entries: EntryIndex,
): EventMixShift {
  const calls = new Map<string, string[]>();
  for (const s of spans) {
    const parent = s.parentId ? byId.get(s.parentId) : undefined;
    if (!parent || parent.service === s.service) continue;
    const entry = entries.of(parent);
    let list = calls.get(entry);
    if (!list) calls.set(entry, (list = []));
    list.push(`${s.service}:${s.operation}`);
  }
  const paths = new EventMixShift({ binMs: 10_000, windowBins: 6 });
  for (const s of spans) {
    if (entries.of(s) !== s.spanId) continue;
    const out = (calls.get(s.spanId) ?? []).sort().join(', ');
    paths.add(s.service, s.start, `${s.operation} > ${out}`);
  }
  return paths;
}

/** The entry span a span belongs to: its nearest ancestor whose parent is in another service. */
class EntryIndex {
  private readonly memo = new Map<string, string>();

  constructor(private readonly byId: ReadonlyMap<string, SpanRecord>) {}

  of(span: SpanRecord): string {
    const known = this.memo.get(span.spanId);
    if (known !== undefined) return known;
    const parent = span.parentId ? this.byId.get(span.parentId) : undefined;
    const entry =
      !parent || parent.service !== span.service || parent.spanId === span.spanId
        ? span.spanId
        : this.of(parent);
    this.memo.set(span.spanId, entry);
    return entry;
  }
}

type Kind = 'trace_latency' | 'trace_error' | 'trace_fanout' | `trace_link:${string}`;

const linkKind = (peer: string): Kind => `trace_link:${peer}`;

/** The series name of the wait on the link to one peer (the ranker reads `link_wait` as a link). */
export const linkWaitMetric = (peer: string) => `trace_link_wait_p90{peer=${peer}}`;

/** Values per service, kind and bin, turned into series when all spans are in. */
class BinnedSeries {
  private readonly values = new Map<string, Map<number, number[]>>();

  constructor(private readonly binMs: number) {}

  add(service: string, kind: Kind, time: number, value: number, known = true): void {
    if (!known) return;
    const key = `${service}\u0000${kind}`;
    let perBin = this.values.get(key);
    if (!perBin) this.values.set(key, (perBin = new Map()));
    const bin = Math.floor(time / this.binMs) * this.binMs;
    let list = perBin.get(bin);
    if (!list) perBin.set(bin, (list = []));
    list.push(value);
  }

  toSeries(): MetricSeries[] {
    const out: MetricSeries[] = [];
    for (const [key, perBin] of this.values) {
      const [service, kind] = key.split('\u0000') as [string, Kind];
      const times = [...perBin.keys()].sort((a, b) => a - b);
      const lists = times.map((t) => (perBin.get(t) ?? []).sort((a, b) => a - b));
      const make = (metric: string, f: (sorted: number[]) => number) =>
        out.push({ service, metric, times: [...times], values: lists.map(f) });
      if (kind === 'trace_latency') {
        make('trace_latency_p50', (l) => quantile(l, 0.5));
        make('trace_latency_p90', (l) => quantile(l, 0.9));
        make('trace_latency_p99', (l) => quantile(l, 0.99));
        make('trace_request_count', (l) => l.length);
      } else if (kind === 'trace_error') make('trace_error_rate', mean);
      else if (kind === 'trace_fanout') make('trace_calls_out_per_request', mean);
      else make(linkWaitMetric(kind.slice('trace_link:'.length)), (l) => quantile(l, 0.9));
    }
    return out;
  }
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
