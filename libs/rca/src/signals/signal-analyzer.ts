import { createHash } from 'node:crypto';
import type { Anomaly, LogRecord, MetricBatch } from '@vigil/contracts';
import {
  LogAnomalyDetector,
  type LogAnomaly,
  type LogAnomalyDetectorConfig,
} from './log-anomaly-detector';
import { undoAll, type UndoSteps } from './log-template-miner';
import {
  OnlineMetricDetector,
  type MetricAnomaly,
  type OnlineMetricDetectorConfig,
} from './online-metric-detector';

export interface SignalAnalyzerOptions {
  metric: Partial<OnlineMetricDetectorConfig>;
  log: Partial<LogAnomalyDetectorConfig>;
  /** Metric series followed at most; the least recently seen is dropped first. */
  maxSeries: number;
}

export const defaultSignalAnalyzerOptions: SignalAnalyzerOptions = {
  metric: {},
  log: {},
  maxSeries: 200_000,
};

const iso = (time: number) => new Date(time).toISOString();

/**
 * Observations of one unit of work. The metric series it touched: each with the detector it had
 * before (undefined for a series it began), kept in the order of their latest use.
 */
interface Unit {
  series: Map<string, OnlineMetricDetector | undefined>;
  /** How to put back the log detector; absent when the unit cannot be undone (`observe*` alone). */
  undo?: UndoSteps;
}

/**
 * What apps/signals runs: one online detector per metric series and one log anomaly detector,
 * turning samples and log lines into `vigil.anomalies.v1` events. Plain data in, plain data out.
 */
export class SignalAnalyzer {
  private readonly detectors = new Map<string, OnlineMetricDetector>();
  private readonly logs: LogAnomalyDetector;
  private readonly options: SignalAnalyzerOptions;
  /** Open while `atomically` runs. */
  private unit?: Unit;

  constructor(options: Partial<SignalAnalyzerOptions> = {}) {
    this.options = { ...defaultSignalAnalyzerOptions, ...options };
    this.logs = new LogAnomalyDetector(this.options.log);
  }

  /**
   * Runs `work` (observations, and the publishing of what they found) as one unit: when it throws,
   * the analyzer is put back exactly as it was before, so a retry of the same input finds the same
   * anomalies instead of none (the detectors would have taken the points in already). Units do
   * not overlap: one message is handled at a time.
   */
  async atomically<T>(work: () => Promise<T>): Promise<T> {
    if (this.unit) throw new Error('SignalAnalyzer.atomically: a unit of work is open already');
    const unit: Unit = { series: new Map(), undo: [] };
    this.unit = unit;
    try {
      const result = await work();
      this.commit(unit);
      return result;
    } catch (error) {
      this.rollBack(unit);
      throw error;
    } finally {
      this.unit = undefined;
    }
  }

  observeMetrics(batch: MetricBatch): Anomaly[] {
    const unit = this.unit ?? { series: new Map() };
    const found: Anomaly[] = [];
    const samples = [...batch.samples].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    for (const sample of samples) {
      const metric = seriesName(sample.name, sample.labels);
      const detector = this.detector(`${batch.service}\u0000${metric}`, unit);
      const anomaly = detector.observe(Date.parse(sample.time), sample.value);
      if (anomaly) found.push(metricAnomalyEvent(batch.service, metric, anomaly));
    }
    if (unit !== this.unit) this.commit(unit);
    return found;
  }

  observeLog(record: LogRecord): Anomaly[] {
    const line = {
      service: record.service,
      level: record.level,
      body: record.body,
      time: Date.parse(record.time),
    };
    return this.logs.observe(line, this.unit?.undo).map(logAnomalyEvent);
  }

  /** The templates mined for a service, most frequent first: the console shows them. */
  templates(service: string) {
    return this.logs.templateMiner.templates(service);
  }

  get seriesCount(): number {
    return this.detectors.size;
  }

  /**
   * The series' detector. Within a unit the map keeps its order (a new series is added at the
   * end): what the unit used moves to the end, and the least recently seen past maxSeries are
   * dropped, when it commits; so undoing a unit is putting back the detectors it changed.
   */
  private detector(key: string, unit: Unit): OnlineMetricDetector {
    let detector = this.detectors.get(key);
    // The detector as it was before the unit, kept once (at its first use) when it can be undone.
    let before = unit.series.get(key);
    if (!unit.series.has(key) && unit.undo) before = detector?.clone();
    unit.series.delete(key);
    unit.series.set(key, before);
    if (!detector) {
      detector = new OnlineMetricDetector(this.options.metric);
      this.detectors.set(key, detector);
    }
    return detector;
  }

  private commit(unit: Unit): void {
    for (const key of unit.series.keys()) {
      const detector = this.detectors.get(key);
      if (!detector) continue;
      // Re-inserting keeps the map in least-recently-seen order for eviction.
      this.detectors.delete(key);
      this.detectors.set(key, detector);
    }
    while (this.detectors.size > this.options.maxSeries) {
      const oldest = this.detectors.keys().next().value;
      if (oldest === undefined) break;
      this.detectors.delete(oldest);
    }
  }

  private rollBack(unit: Unit): void {
    if (unit.undo) undoAll(unit.undo);
    for (const [key, before] of unit.series) {
      if (before) this.detectors.set(key, before);
      else this.detectors.delete(key);
    }
  }
}

/** The longest `anomalyId` that vigil.anomalies.v1 takes. */
export const maxAnomalyIdLength = 200;

/**
 * `id` when it fits vigil.anomalies.v1 (at most 200 characters); else its beginning and a hash of
 * all of it, so that an id built of a long service name or series name still fits, stays the same
 * for the same shift (an escalation replaces the first report downstream), and differs for
 * different ones.
 */
export function fittedAnomalyId(id: string): string {
  if (id.length <= maxAnomalyIdLength) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 32);
  let head = maxAnomalyIdLength - hash.length - 1;
  // Not between the two halves of a surrogate pair.
  const code = id.charCodeAt(head - 1);
  if (code >= 0xd800 && code <= 0xdbff) head--;
  return `${id.slice(0, head)}#${hash}`;
}

/** A metric and its labels as one series name, e.g. `latency_p99{route="/cart"}`. */
export function seriesName(name: string, labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? name : `${name}{${keys.map((k) => `${k}="${labels[k]}"`).join(',')}}`;
}

function metricAnomalyEvent(service: string, metric: string, anomaly: MetricAnomaly): Anomaly {
  return {
    schemaVersion: 1,
    // One id per shift: an escalation of the same shift replaces the first report downstream.
    anomalyId: fittedAnomalyId(`${service}/${metric}/${anomaly.onset}`),
    service,
    signal: { kind: 'metric', metric, direction: anomaly.direction },
    score: round(anomaly.score),
    onset: iso(anomaly.onset),
    window: { start: iso(anomaly.window.start), end: iso(anomaly.window.end) },
    detectedAt: iso(anomaly.detectedAt),
  };
}

function logAnomalyEvent(anomaly: LogAnomaly): Anomaly {
  return {
    schemaVersion: 1,
    anomalyId: fittedAnomalyId(
      `${anomaly.service}/log/${anomaly.pattern}/${anomaly.templateId}/${anomaly.onset}`,
    ),
    service: anomaly.service,
    signal: {
      kind: 'log',
      templateId: anomaly.templateId,
      template: anomaly.template.slice(0, 4000),
      pattern: anomaly.pattern,
    },
    score: round(anomaly.score),
    onset: iso(anomaly.onset),
    window: { start: iso(anomaly.window.start), end: iso(anomaly.window.end) },
    detectedAt: iso(anomaly.detectedAt),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
