import type { MetricSeries } from '../rca-case';
import { spanEvidence } from './span-evidence';
import type { SpanRecord } from './telemetry-records';

export interface LiveTraceEvidenceOptions {
  /** Width of the series' time bins. */
  binMs: number;
  /**
   * How long after a bin ends (by the latest span seen) spans may still arrive for it: a trace's
   * spans come from several services' exporters, a little apart. Only bins this far behind count.
   */
  graceMs: number;
  /** Spans older than this behind the reader's clock are forgotten. */
  historyMs: number;
  /** Spans further than this past the reader's clock are dropped (a clock far ahead). */
  aheadMs: number;
  /** Spans kept at most, the oldest forgotten first: at a high span rate the history is shorter. */
  maxSpans: number;
}

export const defaultLiveTraceEvidenceOptions: LiveTraceEvidenceOptions = {
  binMs: 10_000,
  graceMs: 20_000,
  historyMs: 60 * 60_000,
  aheadMs: 60 * 60_000,
  maxSpans: 100_000,
};

/**
 * Whole traces as they stream in (apps/rca, from vigil.traces.v1), read by the same
 * {@link spanEvidence} as `vigil rca --traces` reads a file: entry-span latency, errors and
 * requests, link waits, calls per request, operation and path shifts. Unlike call records, these
 * need a span's parent, its siblings and its trace, so the spans themselves are kept (bounded by
 * time and count), and the series are computed again over the bins that have closed, once per
 * bin at most.
 */
export class LiveTraceEvidence {
  private spans: SpanRecord[] = [];
  private latest = -Infinity;
  /** The reader's clock: until it is known, spans are taken at their word. */
  private clock?: number;
  private computed?: { closedBefore: number; series: MetricSeries[] };
  /** Spans from too far ahead of the reader's clock, or too old to matter. */
  dropped = 0;
  private readonly options: LiveTraceEvidenceOptions;

  constructor(options: Partial<LiveTraceEvidenceOptions> = {}) {
    this.options = { ...defaultLiveTraceEvidenceOptions, ...options };
  }

  add(span: SpanRecord): void {
    const { aheadMs, historyMs, maxSpans } = this.options;
    const clock = this.clock ?? span.start;
    if (
      !Number.isFinite(span.start) ||
      span.start > clock + aheadMs ||
      span.start < clock - historyMs
    ) {
      this.dropped++;
      return;
    }
    this.spans.push(span);
    this.latest = Math.max(this.latest, span.start);
    // forgotten a tenth at a time, so a full buffer is not copied at every span
    if (this.spans.length > maxSpans) this.spans = this.spans.slice(Math.ceil(maxSpans / 10));
  }

  /** The reader's time now (epoch ms): spans older than the history are forgotten. */
  observeClock(now: number): void {
    this.clock = now;
    const oldest = now - this.options.historyMs;
    if (this.spans.length > 0 && this.spans[0].start < oldest)
      this.spans = this.spans.filter((s) => s.start >= oldest);
  }

  /** How many spans are held. */
  get size(): number {
    return this.spans.length;
  }

  /**
   * The trace series over the bins that have closed (the spans that started before the latest
   * span less the grace, floored to a bin): a bin still filling would read as a drop in requests.
   */
  series(): MetricSeries[] {
    const { binMs, graceMs } = this.options;
    const closedBefore = Math.floor((this.latest - graceMs) / binMs) * binMs;
    if (!Number.isFinite(closedBefore)) return [];
    if (this.computed?.closedBefore === closedBefore) return this.computed.series;
    const closed = this.spans.filter((s) => s.start < closedBefore);
    const series = spanEvidence(closed, { binMs }).series;
    this.computed = { closedBefore, series };
    return series;
  }
}
