import type { StepTransitionCount } from '../rca-case';
import type { LogLine } from '../signals/log-anomaly-detector';
import { LogTemplateMiner } from '../signals/log-template-miner';
import { ClosingBins, type ClosingBinsOptions } from './call-record-series';
import { MixWindow } from './event-mix-shift';
import { logPathShiftOptions } from './log-evidence';
import { FIRST_LINE, lineStep, StepTransitionCounter } from './step-transitions';

/** A point of a behaviour series, ready for a series buffer. */
export interface BehaviourPoint {
  service: string;
  metric: 'log_template_shift' | 'log_path_shift' | 'log_path_novelty';
  time: number;
  value: number;
  /** How long the window behind the point is, when it is more than one bin. */
  windowMs?: number;
}

interface BehaviourBin {
  templates: Map<string, number>;
  /** Per span (trace and span id), the templates it wrote, in order. */
  paths: Map<string, string[]>;
}

interface ServiceWindows {
  templates: MixWindow;
  paths: MixWindow;
}

/**
 * What {@link logBehaviourSeries} computes from a recording, computed as log lines stream in
 * (apps/rca, from vigil.logs.v1): each service's template mix and request paths, a point per bin
 * once the bin has closed. A span's lines are counted in the bin of its first line, so a path is
 * whole when its bin closes (lines of a span come within the grace). Bounded: bins close, and each
 * service's reference fades past a size.
 */
export class LiveLogBehaviour {
  private readonly miner = new LogTemplateMiner();
  private readonly bins: ClosingBins<BehaviourBin>;
  /** The bin time of each span seen in a bin still open. */
  private readonly spanBins = new Map<string, number>();
  private readonly windows = new Map<string, ServiceWindows>();
  /**
   * Each span's lines as a step sequence (lineStepTransitions, live), until taken. A line that
   * comes after its span's bin closed (more than the grace after the span's first line) starts a
   * sequence of its own here, where a recording read whole keeps it in its span's.
   */
  private readonly steps: StepTransitionCounter;

  constructor(private readonly options: ClosingBinsOptions) {
    this.bins = new ClosingBins(options, () => ({ templates: new Map(), paths: new Map() }));
    this.steps = new StepTransitionCounter(options.binMs);
  }

  observeClock(now: number): void {
    this.bins.observeClock(now);
  }

  /** The partitions the reader holds now ({@link ClosingBins.expect}). */
  expect(partitions: readonly number[]): void {
    this.bins.expect(partitions);
  }

  /** The stream's time ({@link ClosingBins.streamTime}). */
  streamTime(): number {
    return this.bins.streamTime();
  }

  /** Lines dropped: for a bin that had closed, or from too far ahead. */
  get dropped(): number {
    return this.bins.dropped;
  }

  /** Takes one line in, read from `partition`; returns the points of the bins it closed. */
  add(line: LogLine, partition = 0): BehaviourPoint[] {
    const templateId = this.miner.add(line.service, line.body).templateId;
    const spanKey =
      line.traceId && line.spanId ? `${line.service}\u0000${line.traceId}\u0000${line.spanId}` : '';
    const spanBin = spanKey ? this.spanBins.get(spanKey) : undefined;
    const bin = this.bins.at(line.service, spanBin ?? line.time, partition);
    if (bin) {
      bin.templates.set(templateId, (bin.templates.get(templateId) ?? 0) + 1);
      if (spanKey) {
        const path = bin.paths.get(spanKey);
        if (path) path.push(templateId);
        else {
          bin.paths.set(spanKey, [templateId]);
          this.spanBins.set(spanKey, spanBin ?? line.time);
        }
      }
    }
    return this.closeDue();
  }

  /** The points of the bins that can no longer change (say after the clock moved on). */
  closeDue(): BehaviourPoint[] {
    const points: BehaviourPoint[] = [];
    for (const { key: service, time, value } of this.bins.closeDue()) {
      const windows = this.windowsOf(service);
      const template = windows.templates.push(time, value.templates);
      if (template)
        points.push({ service, metric: 'log_template_shift', time, value: template.distance });
      const pathCounts = new Map<string, number>();
      for (const [spanKey, path] of value.paths) {
        this.spanBins.delete(spanKey);
        this.steps.addSequence(service, time, FIRST_LINE, path.map(lineStep));
        const event = path.join('>');
        pathCounts.set(event, (pathCounts.get(event) ?? 0) + 1);
      }
      if (pathCounts.size === 0) continue;
      const path = windows.paths.push(time, pathCounts);
      const windowMs = windows.paths.windowMs;
      if (!path) continue;
      points.push({ service, metric: 'log_path_shift', time, value: path.distance, windowMs });
      points.push({ service, metric: 'log_path_novelty', time, value: path.novelty, windowMs });
    }
    return points;
  }

  /** The step counts of the spans whose bins closed since the last take. */
  takeTransitions(): StepTransitionCount[] {
    return this.steps.take();
  }

  private windowsOf(service: string): ServiceWindows {
    let windows = this.windows.get(service);
    if (!windows) {
      windows = {
        templates: new MixWindow({ binMs: this.options.binMs }),
        paths: new MixWindow({ ...logPathShiftOptions, binMs: this.options.binMs }),
      };
      this.windows.set(service, windows);
    }
    return windows;
  }
}
