import type { LogEvidence, MetricSeries, StepTransitionCount } from '../rca-case';
import {
  LogAnomalyDetector,
  type LogAnomalyDetectorConfig,
  isErrorLevel,
  type LogLine,
} from '../signals/log-anomaly-detector';
import { LogTemplateMiner } from '../signals/log-template-miner';
import { EventMixShift, type EventMixShiftOptions } from './event-mix-shift';
import { linesBySpan, type SpanLines } from './span-lines';
import { lineStepTransitions } from './step-transitions';

/**
 * How long before the anomalous period a log anomaly may begin and still count for the case. The
 * period's start is an estimate (an alert's time less a lead, an injection label, a detection run
 * late), while a fault's first error lines and new statements come with the fault itself: a new
 * template first seen 20 s before the estimate is the fault's, not something else's.
 */
export const LOG_EVIDENCE_LEAD_MS = 2 * 60_000;

/**
 * The earliest onset of log evidence that counts for a case whose anomalous period starts at
 * `anomalyStart`: {@link LOG_EVIDENCE_LEAD_MS} before it, but not before `notBefore` (where what
 * came earlier belongs to something else) unless that is inside the period itself.
 */
export const logEvidenceFrom = (anomalyStart: number, notBefore = -Infinity): number =>
  Math.max(anomalyStart - LOG_EVIDENCE_LEAD_MS, Math.min(anomalyStart, notBefore));

/**
 * Log lines through the same detector apps/signals runs (templates per service, error bursts and
 * never-seen templates), in time order; the strongest evidence per service and template. Lines
 * before `from` teach the detector what normal looks like and yield no evidence.
 */
export function logEvidenceFromLines(
  lines: readonly LogLine[],
  options: { from?: number; config?: Partial<LogAnomalyDetectorConfig> } = {},
): LogEvidence[] {
  return strongestLogEvidence(
    logAnomaliesOverTime(lines, options.config),
    options.from ?? -Infinity,
    Infinity,
  );
}

/**
 * Every log anomaly the detector raises over a long stretch of lines, each as evidence with its
 * onset: for cutting one case's evidence out of a day's logs ({@link strongestLogEvidence}).
 */
export function logAnomaliesOverTime(
  lines: readonly LogLine[],
  config: Partial<LogAnomalyDetectorConfig> = {},
): LogEvidence[] {
  const detector = new LogAnomalyDetector(config);
  const found: LogEvidence[] = [];
  for (const line of [...lines].sort((a, b) => a.time - b.time))
    for (const a of detector.observe(line))
      found.push({
        service: a.service,
        templateId: a.templateId,
        template: a.template,
        pattern: a.pattern,
        score: a.score,
        onset: a.onset,
      });
  return found;
}

/** The strongest evidence per service, template and pattern among those with onset in [from, to]. */
export function strongestLogEvidence(
  evidence: readonly LogEvidence[],
  from: number,
  to: number,
): LogEvidence[] {
  const best = new Map<string, LogEvidence>();
  for (const e of evidence) {
    if (e.onset < from || e.onset > to) continue;
    const key = `${e.service}\u0000${e.templateId}\u0000${e.pattern}`;
    const known = best.get(key);
    if (!known || e.score > known.score)
      best.set(key, { ...e, onset: known ? Math.min(known.onset, e.onset) : e.onset });
  }
  return [...best.values()];
}

/**
 * Log volume as series per service and time bin: `log_error_lines` (error and fatal, not
 * warnings: {@link isErrorLevel}) and `log_lines`. A service's error rate read from its logs is a
 * failing signal even where no line is new and no bucket holds a burst, and it is scored like any
 * metric: against what the service usually logs.
 */
export function logLineSeries(lines: readonly LogLine[], binMs = 10_000): MetricSeries[] {
  const bins = new Map<string, Map<number, [number, number]>>();
  for (const line of lines) {
    let perBin = bins.get(line.service);
    if (!perBin) bins.set(line.service, (perBin = new Map()));
    const bin = Math.floor(line.time / binMs) * binMs;
    const counts = perBin.get(bin) ?? [0, 0];
    counts[0]++;
    if (isErrorLevel(line.level)) counts[1]++;
    perBin.set(bin, counts);
  }
  const out: MetricSeries[] = [];
  for (const [service, perBin] of bins) {
    const first = Math.min(...perBin.keys());
    const last = Math.max(...perBin.keys());
    // a bin without lines is a count of zero, not a missing point
    const times: number[] = [];
    for (let t = first; t <= last; t += binMs) times.push(t);
    const count = (t: number, k: 0 | 1) => perBin.get(t)?.[k] ?? 0;
    out.push({ service, metric: 'log_lines', times, values: times.map((t) => count(t, 0)) });
    out.push({
      service,
      metric: 'log_error_lines',
      times: [...times],
      values: times.map((t) => count(t, 1)),
    });
  }
  return out;
}

/**
 * `log_template_shift` per service and time bin: how far the mix of its log templates departs
 * from what it logged before (new statements, usual ones that vanish: an exception thrown where
 * a line used to be written), whatever the volume. Lines are read in time order; give the longest
 * history there is, normal periods included, and cut the series to the case afterwards.
 */
export function logTemplateShiftSeries(
  lines: readonly LogLine[],
  options: Partial<EventMixShiftOptions> = {},
): MetricSeries[] {
  const miner = new LogTemplateMiner();
  const shift = new EventMixShift(options);
  for (const line of [...lines].sort((a, b) => a.time - b.time))
    shift.add(line.service, line.time, miner.add(line.service, line.body).templateId);
  return shift.toSeries('log_template_shift');
}

/**
 * A service serves a request every few seconds as often as many a second, and writes one path per
 * request: paths are compared a minute at a time (six 10 s bins), enough of them for a mix.
 */
export const logPathShiftOptions: Partial<EventMixShiftOptions> = { windowBins: 6 };

/**
 * `log_path_shift` per service and time bin: how far the mix of its request paths departs from
 * what it did before, where a path is the sequence of log templates it wrote within one span
 * (lines that carry trace and span ids; others are left out). An exception thrown half way, or a
 * wrong value that sends a request down another branch, leaves the usual statements in the
 * service's mix and changes only which follow which: the template mix barely moves, the mix of
 * paths does. Read lines in time order with the longest history there is, as
 * {@link logTemplateShiftSeries}.
 */
export function logPathShiftSeries(
  lines: readonly LogLine[],
  options: Partial<EventMixShiftOptions> = logPathShiftOptions,
  // the lines by span, when the caller has them already (step sequences read the same)
  spans: readonly SpanLines[] = linesBySpan(lines),
): MetricSeries[] {
  const shift = new EventMixShift(options);
  // in the order the paths began: the reference of each bin is everything before it
  for (const path of spans) shift.add(path.service, path.time, path.templateIds.join('>'));
  return shift.toSeriesOf({ distance: 'log_path_shift', novelty: 'log_path_novelty' });
}

/**
 * What a service's logs say of its behaviour, as series: its template mix and its request paths
 * ({@link logTemplateShiftSeries}, {@link logPathShiftSeries}). `vigil rca --logs` and the
 * real-data benchmark read logs through this one function.
 */
export function logBehaviourSeries(
  lines: readonly LogLine[],
  spans: readonly SpanLines[] = linesBySpan(lines),
): MetricSeries[] {
  return [
    ...logTemplateShiftSeries(lines),
    ...logPathShiftSeries(lines, logPathShiftOptions, spans),
  ];
}

/**
 * What a case's log lines say, whatever they were read from (a CSV export or the log contract's
 * JSON Lines): evidence from the detectors (one per service, template and pattern, from
 * {@link logEvidenceFrom} the anomalous period on), and their volume and behaviour as series.
 * `vigil rca --logs` reads every log file through this one path. The lines before the period are
 * what normal is, so the detector needs no warm-up of its own: a template first seen in the period
 * is news even when the recording began a minute before it. Every template is new on a service's
 * first lines, so the minutes before the period count for a service only where its lines began
 * that much earlier still.
 */
export function logCaseEvidence(
  lines: readonly LogLine[],
  anomalyStart: number,
): { evidence: LogEvidence[]; series: MetricSeries[]; transitions: StepTransitionCount[] } {
  const spans = linesBySpan(lines);
  const firstLine = new Map<string, number>();
  for (const line of lines)
    firstLine.set(line.service, Math.min(firstLine.get(line.service) ?? Infinity, line.time));
  const news = logAnomaliesOverTime(lines, { warmupMs: 0 }).filter(
    (e) =>
      e.onset >=
      logEvidenceFrom(anomalyStart, (firstLine.get(e.service) ?? 0) + LOG_EVIDENCE_LEAD_MS),
  );
  return {
    evidence: strongestLogEvidence(news, -Infinity, Infinity),
    series: [...logLineSeries(lines), ...logBehaviourSeries(lines, spans)],
    transitions: lineStepTransitions(lines, spans),
  };
}
