import type { MetricSeries, RcaEdge, StepTransitionCount } from '../rca-case';
import { quantile } from '../signals/robust-statistics';
import { EventMixShift, type MixWindow } from './event-mix-shift';
import { countSpanSteps, STEP_BIN_MS, StepTransitionCounter } from './step-transitions';
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
  /** Which step of each service's work followed which, per bin (see StepTransitionCounter). */
  transitions: StepTransitionCount[];
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
  const builder = new TraceSeriesBuilder({ binMs: options.binMs, keepMs: Infinity });
  for (const s of spans) builder.add(s);
  return {
    series: builder.close(Infinity),
    edges: [...builder.edges.values()],
    spansPerService: builder.spansPerService,
    transitions: builder.takeTransitions(),
  };
}

export interface TraceSeriesBuilderOptions {
  /** Width of the latency, error, link-wait and calls-per-request bins. */
  binMs: number;
  /**
   * How long spans are kept after their bin closed, as the parents and callers of spans still to
   * come (live reading): a request's spans come from several services, a little apart.
   */
  keepMs: number;
  /** Spans kept at most, the oldest forgotten first: a burst cannot grow memory without bound. */
  maxSpans?: number;
}

/** The bins of the operation and path mixes (EventMixShift's), whatever `binMs` is. */
const MIX_BIN_MS = 10_000;
const operationMix = { binMs: MIX_BIN_MS };
const pathMix = { binMs: MIX_BIN_MS, windowBins: 6 };

/**
 * The series of {@link spanEvidence}, built bin by bin as spans come (apps/rca, from
 * vigil.traces.v1) or all at once (a file: one {@link close} at the end). A span counts when the
 * bin it starts in closes, with what is known of its trace then: its parent, its siblings, the
 * calls made in its work. Spans are kept `keepMs` past their bin, so memory follows the span rate,
 * not the history; each service's operation and path mixes are carried from bin to bin.
 */
export class TraceSeriesBuilder {
  /** The spans kept, in the order they came. */
  private known: SpanRecord[] = [];
  private readonly spans = new PerTrace<SpanRecord>();
  /** Children seen per parent span (which may not have come yet). */
  private readonly children = new PerTrace<number>();
  private pending: SpanRecord[] = [];
  private readonly entries: EntryIndex;
  private readonly operationWindows = new Map<string, MixWindow>();
  private readonly pathWindows = new Map<string, MixWindow>();
  private closedBefore = -Infinity;
  /** CALLS edges seen from a parent span in one service to a child span in another. */
  readonly edges = new Map<string, RcaEdge>();
  /** Spans per service (the services traces know of). */
  readonly spansPerService = new Map<string, number>();
  /** Spans that came after their bin had closed, or twice (an exporter's retry). */
  dropped = 0;
  /** The step sequences of the requests counted so far, until taken. */
  private readonly steps = new StepTransitionCounter(STEP_BIN_MS);

  constructor(private readonly options: TraceSeriesBuilderOptions) {
    this.entries = new EntryIndex((span) => this.parentOf(span));
  }

  /** Bins close on multiples of this: the metric bins and the mix bins both end there. */
  get closeStepMs(): number {
    return lcm(this.options.binMs, MIX_BIN_MS);
  }

  add(span: SpanRecord): void {
    if (!(span.start >= this.closedBefore) || this.spans.get(span.traceId, span.spanId)) {
      this.dropped++;
      return;
    }
    this.known.push(span);
    this.spans.set(span.traceId, span.spanId, span);
    if (span.parentId) {
      const siblings = this.children.get(span.traceId, span.parentId) ?? 0;
      this.children.set(span.traceId, span.parentId, siblings + 1);
    }
    this.pending.push(span);
    this.spansPerService.set(span.service, (this.spansPerService.get(span.service) ?? 0) + 1);
    const max = this.options.maxSpans ?? Infinity;
    // a tenth at a time, so a full store is not rescanned at every span
    if (this.known.length > max) this.forgetWhere((_span, i) => i < Math.ceil(max / 10));
  }

  /**
   * Counts the spans that start before `before` (a multiple of {@link closeStepMs}, or Infinity
   * for everything) and returns their bins' series, each holding the points of those bins.
   */
  close(before: number): MetricSeries[] {
    const due = this.pending.filter((s) => s.start < before);
    this.pending = this.pending.filter((s) => !(s.start < before));
    this.closedBefore = before;
    const series = due.length === 0 ? [] : this.seriesOf(due);
    this.forget(before - this.options.keepMs);
    return series;
  }

  private seriesOf(due: readonly SpanRecord[]): MetricSeries[] {
    const { binMs } = this.options;
    const calls = this.callsByEntry();
    const bins = new BinnedSeries(binMs);
    for (const s of due) {
      const parent = this.parentOf(s);
      if (parent && parent.service === s.service) continue;
      // an entry span: its service's work for a caller (or for nobody: a root)
      bins.add(s.service, 'trace_latency', s.start, s.durationMs);
      bins.add(s.service, 'trace_error', s.start, s.error ? 1 : 0, s.error !== undefined);
      if (!parent) continue;
      const key = `${parent.service}\u0000${s.service}`;
      if (!this.edges.has(key))
        this.edges.set(key, { from: parent.service, to: s.service, type: 'CALLS' });
      // a parent with this one child is the caller's client span for this call
      // (either end may cause the wait: a slow link, or a caller too starved to read the answer)
      const only = this.children.get(parent.traceId, parent.spanId) === 1;
      if (only && parent.durationMs >= s.durationMs) {
        const wait = parent.durationMs - s.durationMs;
        bins.add(s.service, linkKind(parent.service), s.start, wait);
        bins.add(parent.service, linkKind(s.service), s.start, wait);
      }
    }
    const entries = new Set<SpanRecord>();
    for (const s of due)
      if (this.entries.of(s) === s) {
        entries.add(s);
        bins.add(s.service, 'trace_fanout', s.start, calls.get(s)?.length ?? 0);
      }
    countSpanSteps(
      this.steps,
      this.known,
      { parentOf: (span) => this.parentOf(span), entryOf: (span) => this.entries.of(span) },
      (entry) => entries.has(entry),
    );
    return [...bins.toSeries(), ...this.operationSeries(due), ...this.pathSeries(due, calls)];
  }

  /**
   * The step-to-step counts of the requests whose bins closed since the last take (see
   * StepTransitionCounter): a request counts in its entry span's bin, once.
   */
  takeTransitions(): StepTransitionCount[] {
    return this.steps.take();
  }

  /** A span's parent, when it has come: looked up within its own trace. */
  private parentOf(span: SpanRecord): SpanRecord | undefined {
    return span.parentId ? this.spans.get(span.traceId, span.parentId) : undefined;
  }

  /** Per entry span, the calls its work made into other services (`callee:operation`). */
  private callsByEntry(): Map<SpanRecord, string[]> {
    const calls = new Map<SpanRecord, string[]>();
    for (const s of this.known) {
      const parent = this.parentOf(s);
      if (!parent || parent.service === s.service) continue;
      // the call counts for the caller's work it was made in
      const entry = this.entries.of(parent);
      let list = calls.get(entry);
      if (!list) calls.set(entry, (list = []));
      list.push(`${s.service}:${s.operation}`);
    }
    return calls;
  }

  /** Each service's operations, and the services its operations call, a bin at a time. */
  private operationSeries(due: readonly SpanRecord[]): MetricSeries[] {
    const mix = new EventMixShift(operationMix);
    for (const s of [...due].sort((a, b) => a.start - b.start)) {
      mix.add(s.service, s.start, s.operation);
      const parent = this.parentOf(s);
      if (parent && parent.service !== s.service)
        mix.add(parent.service, s.start, `${parent.operation} > ${s.service}`);
    }
    return mix.toSeriesOf({ distance: 'trace_operation_shift' }, this.operationWindows);
  }

  /**
   * Each entry span's path: its operation and the calls its work made into other services, as
   * `operation > callee:operation, ...` (callees sorted), counted a minute at a time, like log paths.
   */
  private pathSeries(due: readonly SpanRecord[], calls: Map<SpanRecord, string[]>): MetricSeries[] {
    const mix = new EventMixShift(pathMix);
    for (const s of due) {
      if (this.entries.of(s) !== s) continue;
      const out = [...(calls.get(s) ?? [])].sort().join(', ');
      mix.add(s.service, s.start, `${s.operation} > ${out}`);
    }
    return mix.toSeriesOf(
      { distance: 'trace_path_shift', novelty: 'trace_path_novelty' },
      this.pathWindows,
    );
  }

  /** Forgets the spans that started before `before`, as parents and callers too. */
  private forget(before: number): void {
    // a file is read in one close, and keeps everything until it is done
    if (Number.isFinite(before)) this.forgetWhere((s) => s.start < before);
  }

  private forgetWhere(forgotten: (span: SpanRecord, index: number) => boolean): void {
    const kept: SpanRecord[] = [];
    const gone = new Set<SpanRecord>();
    this.known.forEach((s, i) => {
      if (forgotten(s, i)) gone.add(s);
      else kept.push(s);
    });
    if (gone.size === 0) return;
    this.pending = this.pending.filter((s) => !gone.has(s));
    for (const s of gone) {
      if (this.spans.get(s.traceId, s.spanId) === s) this.spans.delete(s.traceId, s.spanId);
      this.entries.forget(s);
      if (s.parentId) {
        const left = (this.children.get(s.traceId, s.parentId) ?? 1) - 1;
        if (left > 0) this.children.set(s.traceId, s.parentId, left);
        else this.children.delete(s.traceId, s.parentId);
      }
    }
    this.known = kept;
  }
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}

/**
 * Values per span, looked up by trace and span id: span ids are unique within a trace only
 * (OpenTelemetry draws them at random, but a tracer that numbers a trace's spans from 1 repeats
 * them across traces). Two levels of maps rather than joined keys: no string is built per lookup.
 */
class PerTrace<V> {
  private readonly traces = new Map<string, Map<string, V>>();

  get(traceId: string, spanId: string): V | undefined {
    return this.traces.get(traceId)?.get(spanId);
  }

  set(traceId: string, spanId: string, value: V): void {
    let spans = this.traces.get(traceId);
    if (!spans) this.traces.set(traceId, (spans = new Map()));
    spans.set(spanId, value);
  }

  delete(traceId: string, spanId: string): void {
    const spans = this.traces.get(traceId);
    if (!spans) return;
    spans.delete(spanId);
    if (spans.size === 0) this.traces.delete(traceId);
  }
}

/** The entry span a span belongs to: its nearest ancestor whose parent is in another service. */
class EntryIndex {
  private readonly memo = new Map<SpanRecord, SpanRecord>();

  constructor(private readonly parentOf: (span: SpanRecord) => SpanRecord | undefined) {}

  of(span: SpanRecord): SpanRecord {
    return this.resolve(span).entry;
  }

  /**
   * The entry, and whether it is settled: a span whose parent has not come (yet) is its own entry
   * for now, and is asked again later rather than remembered, as the parent may still arrive.
   */
  private resolve(span: SpanRecord): { entry: SpanRecord; settled: boolean } {
    const known = this.memo.get(span);
    if (known !== undefined) return { entry: known, settled: true };
    const parent = this.parentOf(span);
    const found =
      !parent || parent.service !== span.service || parent === span
        ? { entry: span, settled: !span.parentId || parent !== undefined }
        : this.resolve(parent);
    if (found.settled) this.memo.set(span, found.entry);
    return found;
  }

  forget(span: SpanRecord): void {
    this.memo.delete(span);
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
