import type { Anomaly, LogRecord, MetricBatch } from '@vigil/contracts';
import {
  LogAnomalyDetector,
  type LogAnomaly,
  type LogAnomalyDetectorConfig,
} from './log-anomaly-detector';
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
 * What apps/signals runs: one online detector per metric series and one log anomaly detector,
 * turning samples and log lines into `vigil.anomalies.v1` events. Plain data in, plain data out.
 */
export class SignalAnalyzer {
  private readonly detectors = new Map<string, OnlineMetricDetector>();
  private readonly logs: LogAnomalyDetector;
  private readonly options: SignalAnalyzerOptions;

  constructor(options: Partial<SignalAnalyzerOptions> = {}) {
    this.options = { ...defaultSignalAnalyzerOptions, ...options };
    this.logs = new LogAnomalyDetector(this.options.log);
  }

  observeMetrics(batch: MetricBatch): Anomaly[] {
    const found: Anomaly[] = [];
    const samples = [...batch.samples].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    for (const sample of samples) {
      const metric = seriesName(sample.name, sample.labels);
      const detector = this.detector(`${batch.service}\u0000${metric}`);
      const anomaly = detector.observe(Date.parse(sample.time), sample.value);
      if (anomaly) found.push(metricAnomalyEvent(batch.service, metric, anomaly));
    }
    return found;
  }

  observeLog(record: LogRecord): Anomaly[] {
    const anomalies = this.logs.observe({
      service: record.service,
      level: record.level,
      body: record.body,
      time: Date.parse(record.time),
    });
    return anomalies.map(logAnomalyEvent);
  }

  /** The templates mined for a service, most frequent first: the console shows them. */
  templates(service: string) {
    return this.logs.templateMiner.templates(service);
  }

  get seriesCount(): number {
    return this.detectors.size;
  }

  private detector(key: string): OnlineMetricDetector {
    let detector = this.detectors.get(key);
    if (detector) {
      // Re-inserting keeps the map in least-recently-seen order for eviction.
      this.detectors.delete(key);
    } else {
      detector = new OnlineMetricDetector(this.options.metric);
      if (this.detectors.size >= this.options.maxSeries) {
        const oldest = this.detectors.keys().next().value;
        if (oldest !== undefined) this.detectors.delete(oldest);
      }
    }
    this.detectors.set(key, detector);
    return detector;
  }
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
    anomalyId: `${service}/${metric}/${anomaly.onset}`,
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
    anomalyId: `${anomaly.service}/log/${anomaly.pattern}/${anomaly.templateId}/${anomaly.onset}`,
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
