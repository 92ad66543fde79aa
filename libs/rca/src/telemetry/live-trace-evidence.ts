import type { StepTransitionCount } from '../rca-case';
import { TraceSeriesBuilder } from './span-evidence';
import { defaultMaxSpreadMs, StreamTime, type StreamTimeOptions } from './stream-time';
import type { SpanRecord } from './telemetry-records';

/** Trace bins, and the stream's time they close on: its quiet and spread are {@link StreamTime}'s. */
export interface LiveTraceEvidenceOptions extends Required<StreamTimeOptions> {
  /** Width of the series' time bins. */
  binMs: number;
  /**
   * How long after a bin ends (by the latest span seen) spans may still arrive for it: a trace's
   * spans come from several services' exporters, a little apart. A bin closes only then.
   */
  graceMs: number;
  /**
   * How long a span is kept after its bin closed, as the parent or caller of spans still to come
   * (a long request's later calls). Memory follows the span rate times this, not the history.
   */
  keepMs: number;
  /** Spans further than this past the reader's clock are dropped (a clock far ahead). */
  aheadMs: number;
  /** Spans kept at most, the oldest forgotten first. */
  maxSpans: number;
}

export const defaultLiveTraceEvidenceOptions: LiveTraceEvidenceOptions = {
  binMs: 10_000,
  graceMs: 20_000,
  keepMs: 60_000,
  aheadMs: 60 * 60_000,
  quietMs: 60_000,
  maxSpreadMs: defaultMaxSpreadMs,
  maxSpans: 100_000,
};

/** A point of a trace series, ready for a series buffer. */
export interface TracePoint {
  service: string;
  metric: string;
  time: number;
  value: number;
  /** How long the window behind the point is, when it is more than one bin. */
  windowMs?: number;
}

/**
 * Whole traces as they stream in (apps/rca, from vigil.traces.v1), read by the same
 * {@link TraceSeriesBuilder} as `vigil rca --traces` reads a file: entry-span latency, errors and
 * requests, link waits, calls per request, operation and path shifts, a point per bin once the bin
 * has closed. Only the spans of the last minute or so are held, so memory follows the span rate.
 */
export class LiveTraceEvidence {
  private readonly builder: TraceSeriesBuilder;
  private readonly time: StreamTime;
  /** The reader's clock: until it is known, spans are taken at their word. */
  private clock?: number;
  private closedBefore = -Infinity;
  /** Spans from too far ahead of the reader's clock. */
  private aheadDropped = 0;
  private readonly options: LiveTraceEvidenceOptions;

  constructor(options: Partial<LiveTraceEvidenceOptions> = {}) {
    this.options = { ...defaultLiveTraceEvidenceOptions, ...options };
    this.time = new StreamTime(this.options);
    this.builder = new TraceSeriesBuilder({
      binMs: this.options.binMs,
      keepMs: this.options.keepMs,
      maxSpans: this.options.maxSpans,
    });
  }

  /** Spans dropped: from too far ahead, or for a bin that had closed. */
  get dropped(): number {
    return this.aheadDropped + this.builder.dropped;
  }

  /** The reader's time now (epoch ms): the reference for spans from too far ahead, and for quiet. */
  observeClock(now: number): void {
    this.clock = now;
    this.time.look(now);
  }

  /** The partitions the reader holds now: each holds the stream's time back ({@link StreamTime}). */
  expect(partitions: readonly number[]): void {
    this.time.expect(partitions);
  }

  /**
   * Takes one span in, read from `partition`; returns the points of the bins it closed. The
   * stream's time is where spans end, as tracers export a span when it ends: a bin closes once
   * every partition's spans end `graceMs` past it, so a request that started in it and took less
   * than that is whole.
   */
  add(span: SpanRecord, partition = 0): TracePoint[] {
    const end = span.start + span.durationMs;
    // a span from a clock far ahead says nothing of where its partition is: it never counts
    if (!Number.isFinite(end) || end > (this.clock ?? end) + this.options.aheadMs) {
      this.aheadDropped++;
      return [];
    }
    this.builder.add(span);
    this.time.arrival(partition, end);
    return this.closeDue();
  }

  /** The stream's time ({@link StreamTime}), -Infinity before its first span. */
  streamTime(): number {
    return this.time.now();
  }

  /** The step counts of the requests whose bins closed since the last take (span-evidence's). */
  takeTransitions(): StepTransitionCount[] {
    return this.builder.takeTransitions();
  }

  /** The points of the bins that can no longer change: by the spans seen, or by a quiet clock. */
  closeDue(): TracePoint[] {
    const step = this.builder.closeStepMs;
    const before = Math.floor((this.time.now() - this.options.graceMs) / step) * step;
    if (!(before > this.closedBefore)) return [];
    this.closedBefore = before;
    return this.builder.close(before).flatMap((series) =>
      series.times.map((time, i) => ({
        service: series.service,
        metric: series.metric,
        time,
        value: series.values[i],
        ...(series.windowMs && { windowMs: series.windowMs }),
      })),
    );
  }
}
