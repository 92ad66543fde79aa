import type { AlertEvidence, LogEvidence, MetricEvidence, MetricSeries, RcaCase } from './rca-case';
import { scoreMetric } from './signals/metric-change-scorer';

/** What a metric says when it moves, for deciding which way a fault travelled. */
export type MetricMeaning = 'slow' | 'failing' | 'traffic' | 'resource' | 'other';

export function metricMeaning(metric: string): MetricMeaning {
  const name = metric.toLowerCase();
  if (/latenc|duration|response.?time|_rt\b|^rt\b|p9\d|p50/.test(name)) return 'slow';
  if (/error|fail|5xx|exception|fault/.test(name)) return 'failing';
  if (/throughput|workload|request|rps|qps|traffic|tps|count/.test(name)) return 'traffic';
  if (/cpu|mem|disk|heap|gc|thread|fd|socket|net|saturation|load|io/.test(name)) return 'resource';
  return 'other';
}

/**
 * How unusual one service looks, reduced to comparable numbers in [0, 1]. Robust change scores
 * of noise sit around 2-4 (a few interquartile ranges); faults reach tens: the squashing keeps
 * noise near 0 and lets a handful of metrics count without one huge number dominating.
 */
export interface ServiceAnomaly {
  service: string;
  metrics: MetricEvidence[];
  logs: LogEvidence[];
  alerts: AlertEvidence[];
  /** Overall anomaly of the service, from every signal. */
  anomaly: number;
  /** Slower responses. */
  slow: number;
  /** More errors (metrics, error bursts in its logs). */
  failing: number;
  /** Its traffic collapsed (a crash, or nobody calls it any more). */
  collapsed: number;
  /** It uses more of its resources (CPU, memory ...). */
  resource: number;
  /** When its significant signals began, the earliest. */
  onset?: number;
}

export interface AnomalyScale {
  /** Robust scores up to this are what noise does. */
  noiseFloor: number;
  /** Score distance over the floor at which a signal counts as 63% significant. */
  scale: number;
  /** Weight of one alert on the service, as evidence of trouble there. */
  alertWeight: number;
}

export const defaultAnomalyScale: AnomalyScale = { noiseFloor: 3, scale: 6, alertWeight: 0.25 };

export function significance(score: number, scale: AnomalyScale = defaultAnomalyScale): number {
  return 1 - Math.exp(-Math.max(0, score - scale.noiseFloor) / scale.scale);
}

/** Scores every series of the case once and groups the evidence by service. */
export function serviceAnomalies(
  input: RcaCase,
  scale: AnomalyScale = defaultAnomalyScale,
): Map<string, ServiceAnomaly> {
  const byService = new Map<string, ServiceAnomaly>();
  const entry = (service: string) => {
    let found = byService.get(service);
    if (!found) {
      found = emptyAnomaly(service);
      byService.set(service, found);
    }
    return found;
  };
  for (const series of input.series) addMetric(entry(series.service), series, input, scale);
  for (const log of input.logs ?? [])
    if (withinCase(log.onset, input)) entry(log.service).logs.push(log);
  for (const alert of input.alerts ?? []) {
    if (input.end === undefined || alert.startsAt <= input.end)
      entry(alert.service).alerts.push(alert);
  }
  for (const anomaly of byService.values()) summarise(anomaly, scale);
  return byService;
}

function emptyAnomaly(service: string): ServiceAnomaly {
  return {
    service,
    metrics: [],
    logs: [],
    alerts: [],
    anomaly: 0,
    slow: 0,
    failing: 0,
    collapsed: 0,
    resource: 0,
  };
}

function withinCase(time: number, input: RcaCase): boolean {
  return input.end === undefined || time <= input.end;
}

function addMetric(
  target: ServiceAnomaly,
  series: MetricSeries,
  input: RcaCase,
  scale: AnomalyScale,
): void {
  const evidence = scoreMetric(series, input.anomalyStart, input.end);
  if (!evidence || significance(evidence.score, scale) <= 0) return;
  target.metrics.push(evidence);
}

function summarise(anomaly: ServiceAnomaly, scale: AnomalyScale): void {
  let normal = 1;
  const onsets: number[] = [];
  for (const metric of anomaly.metrics) {
    const weight = significance(metric.score, scale);
    normal *= 1 - weight;
    const meaning = metricMeaning(metric.metric);
    if (meaning === 'slow' && metric.direction === 'up')
      anomaly.slow = Math.max(anomaly.slow, weight);
    if (meaning === 'failing' && metric.direction === 'up')
      anomaly.failing = Math.max(anomaly.failing, weight);
    if (meaning === 'traffic' && metric.direction === 'down')
      anomaly.collapsed = Math.max(anomaly.collapsed, weight);
    // Less CPU or memory is what less traffic does; only more is trouble of the service's own.
    if (meaning === 'resource' && metric.direction === 'up')
      anomaly.resource = Math.max(anomaly.resource, weight);
    if (weight >= 0.5) onsets.push(metric.onset);
  }
  for (const log of anomaly.logs) {
    const weight = significance(log.score, scale);
    normal *= 1 - weight;
    if (log.pattern === 'error-burst') anomaly.failing = Math.max(anomaly.failing, weight);
    if (weight >= 0.5) onsets.push(log.onset);
  }
  normal *= (1 - scale.alertWeight) ** anomaly.alerts.length;
  anomaly.anomaly = 1 - normal;
  anomaly.metrics.sort((a, b) => b.score - a.score);
  anomaly.onset = onsets.length > 0 ? Math.min(...onsets) : undefined;
}
