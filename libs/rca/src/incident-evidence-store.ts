import type {
  Alert,
  Anomaly,
  CallSpan,
  IncidentEvent,
  LogRecord,
  MetricBatch,
  TraceSpan,
} from '@vigil/contracts';
import { seriesName } from './signals/signal-analyzer';
import type {
  AlertEvidence,
  LogEvidence,
  MetricBaseline,
  MetricSeries,
  RcaCase,
  RcaTopology,
  StepTransitionCount,
} from './rca-case';
import { metricBaseline } from './signals/metric-change-scorer';
import { CallBin, ClosingBins } from './telemetry/call-record-series';
import { LiveLogBehaviour, type BehaviourPoint } from './telemetry/live-log-behaviour';
import { LiveTraceEvidence, type TracePoint } from './telemetry/live-trace-evidence';
import { defaultSpanEvidenceOptions } from './telemetry/span-evidence';
import { logLineOfRecord, spanRecordOfTraceSpan } from './telemetry/telemetry-records';
import { isErrorLevel } from './signals/log-anomaly-detector';
import { logEvidenceFrom } from './telemetry/log-evidence';

export interface EvidenceStoreOptions {
  /** Metric history kept per series: the reference of normal behaviour comes from here. */
  historyMs: number;
  /** Points kept per series at most, whatever the scrape interval. */
  maxPointsPerSeries: number;
  /**
   * The anomalous period starts this long before the incident's first alert: alerts fire minutes
   * after a fault begins (rule `for:` clauses, evaluation intervals).
   */
  leadMs: number;
  /** Alerts and log anomalies are forgotten this long after they happened. */
  retentionMs: number;
  /**
   * Keep every series' robust baseline as samples arrive (recomputed every `baselineEveryMs`) and
   * hand the one before the incident to the ranker, which then skips computing it: faster for an
   * incident that spans tens of thousands of series, but not the same answer. A kept baseline ends
   * up to `baselineEveryMs` before the anomalous period and is one level, where the ranker, given
   * the points, also sees a change already under way and a level that moved (on the Nezha data
   * replayed through this store, AC@1 0.79 instead of 0.86 on Online Boutique). Off by default.
   */
  maintainedBaselines: boolean;
  baselineEveryMs: number;
  /** Width of the bins that call records and log lines are counted in, as series points. */
  telemetryBinMs: number;
  /**
   * Width of the bins of whole traces' series (vigil.traces.v1): span-evidence's own, so a trace
   * reads the same live as `vigil rca --traces` reads it from a file (5 s).
   */
  traceBinMs: number;
  /**
   * How long after a bin ends (by the latest call or log line seen) late ones still count: a bin's
   * point is written once this has passed, never half-filled.
   */
  telemetryGraceMs: number;
  /**
   * Call records, spans and log lines timed further than this past the reader's clock
   * ({@link IncidentEvidenceStore.observeClock}) are dropped (and counted,
   * {@link IncidentEvidenceStore.dropped}): a bin closes once records well past it
   * have come, so one record from a clock hours ahead would close every bin up to its time and
   * turn away everything that followed. Producers' clocks a few seconds apart are normal.
   */
  telemetryAheadMs: number;
}

/** Each live stream's time, by the same names as {@link DroppedRecords}. */
export type TelemetryStreamTimes = { [S in keyof DroppedRecords]: number };

/** The partitions held of each telemetry stream (vigil.spans.v1, vigil.traces.v1, vigil.logs.v1). */
export interface TelemetryPartitions {
  callSpans?: readonly number[];
  traceSpans?: readonly number[];
  logRecords?: readonly number[];
}

/**
 * Records each live stream has turned away: late for a bin that had closed, from a clock too far
 * ahead, or (spans only) sent twice. `logLines` and `logBehaviour` count the same log lines, for
 * the volume series and the template and path series each.
 */
export interface DroppedRecords {
  callRecords: number;
  logLines: number;
  logBehaviour: number;
  traceSpans: number;
}

/** Trace series this far behind the call records' of the same name have stopped coming. */
const TRACES_STALE_MS = 60_000;

export const defaultEvidenceStoreOptions: EvidenceStoreOptions = {
  historyMs: 60 * 60_000,
  maxPointsPerSeries: 720,
  leadMs: 5 * 60_000,
  retentionMs: 2 * 60 * 60_000,
  maintainedBaselines: false,
  baselineEveryMs: 60_000,
  telemetryBinMs: 10_000,
  traceBinMs: defaultSpanEvidenceOptions.binMs,
  telemetryGraceMs: 20_000,
  telemetryAheadMs: 5 * 60_000,
};

export interface TrackedIncident {
  id: string;
  services: string[];
  fingerprints: string[];
  openedAt: number;
  /**
   * When the incident last opened: a resolved incident that reopens (an alert of it fires again)
   * is a new episode, explained by what happened since, not by what its first episode showed.
   */
  episodeStart: number;
  status: 'open' | 'resolved';
  /** When it was last resolved (kept when it reopens). */
  resolvedAt?: number;
  /** The incident it was merged into, if it was. */
  mergedInto?: string;
}

interface SeriesBuffer {
  service: string;
  metric: string;
  times: number[];
  values: number[];
  /** Oldest first, one per `baselineEveryMs`. */
  baselines: MetricBaseline[];
  /** Each point sums up a window this long (see MetricSeries.windowMs). */
  windowMs?: number;
}

/**
 * Step counts kept at most (about 100 bytes each), the oldest dropped first: an hour of a few
 * hundred services' usual steps fits.
 */
const MAX_STEP_COUNTS = 200_000;

/**
 * What apps/rca remembers between Kafka messages: recent metric history per series (with the
 * series derived from call records, whole traces and log lines, in the same buffers and bounds), log
 * anomalies, alerts by fingerprint and the incidents with their alerts, so that a ranking case
 * can be put together for any incident at any moment. Plain data and bounded.
 */
export class IncidentEvidenceStore {
  private readonly series = new Map<string, SeriesBuffer>();
  /**
   * The series whole traces give (vigil.traces.v1), apart: where a service has one, it takes the
   * place of the series its call records give under the same name.
   */
  private readonly traceSeries = new Map<string, SeriesBuffer>();
  private readonly logs: LogEvidence[] = [];
  /** By fingerprint; `endsAt` once the alert resolved (until it fires again). */
  private readonly alerts = new Map<string, AlertEvidence & { endsAt?: number }>();
  private readonly incidents = new Map<string, TrackedIncident>();
  /** A counter of evidence arrivals per service: a ranking is redone only when something changed. */
  private readonly touched = new Map<string, number>();
  private arrivals = 0;
  /** Calls per callee and log lines per service in the bins still open; closed ones become points. */
  private readonly calls: ClosingBins<CallBin>;
  private readonly logLines: ClosingBins<LogLineCounts>;
  /** Log template mix and request paths per service, as the `_shift`/`_novelty` series. */
  private readonly behaviour: LiveLogBehaviour;
  /** Whole traces from vigil.traces.v1, read as span-evidence reads a file of spans. */
  private readonly traces: LiveTraceEvidence;
  /** Step-to-step counts of the services' work (traces and log lines), oldest bin first. */
  private transitions: StepTransitionCount[] = [];

  private readonly options: EvidenceStoreOptions;

  constructor(options: Partial<EvidenceStoreOptions> = {}) {
    this.options = { ...defaultEvidenceStoreOptions, ...options };
    const bins = {
      binMs: this.options.telemetryBinMs,
      graceMs: this.options.telemetryGraceMs,
      aheadMs: this.options.telemetryAheadMs,
    };
    this.calls = new ClosingBins(bins, () => new CallBin());
    this.logLines = new ClosingBins(bins, () => ({ lines: 0, errorLines: 0 }));
    this.behaviour = new LiveLogBehaviour(bins);
    this.traces = new LiveTraceEvidence({
      binMs: this.options.traceBinMs,
      graceMs: this.options.telemetryGraceMs,
      aheadMs: this.options.telemetryAheadMs,
    });
  }

  addMetrics(batch: MetricBatch): void {
    for (const sample of batch.samples)
      this.addPoint(
        batch.service,
        seriesName(sample.name, sample.labels),
        Date.parse(sample.time),
        sample.value,
      );
    this.touch(batch.service);
  }

  /**
   * The partitions of each telemetry stream the reader holds now (at each join of its group): the
   * streams' time is their slowest partition's, so a backlog read a partition at a time does not
   * close bins that the other partitions' records still belong in ({@link StreamTime}).
   */
  expectPartitions(held: TelemetryPartitions): void {
    if (held.callSpans) this.calls.expect(held.callSpans);
    if (held.traceSpans) this.traces.expect(held.traceSpans);
    if (held.logRecords) {
      this.logLines.expect(held.logRecords);
      this.behaviour.expect(held.logRecords);
    }
  }

  /**
   * A call record from vigil.spans.v1 (read from `partition`): the callee's `trace_*` series
   * (call-record-series) get a point per bin once the bin has closed.
   */
  addCallSpan(span: CallSpan, partition = 0): void {
    this.calls
      .at(span.callee, Date.parse(span.time), partition)
      ?.add({ durationMs: span.durationMs, error: span.status === 'error', count: span.count });
    this.closeCallBins();
  }

  /**
   * A span from vigil.traces.v1: with the rest of its trace, its bin's `trace_*` points once the bin
   * has closed (span-evidence), which take the place of those call records give under the same name.
   */
  addTraceSpan(span: TraceSpan, partition = 0): void {
    this.addTracePoints(this.traces.add(spanRecordOfTraceSpan(span), partition));
  }

  /**
   * A log line from vigil.logs.v1, counted as `log_lines` and `log_error_lines` like logLineSeries,
   * and read for the service's template mix and request paths like logBehaviourSeries.
   */
  addLogRecord(record: LogRecord, partition = 0): void {
    const counts = this.logLines.at(record.service, Date.parse(record.time), partition);
    if (counts) {
      counts.lines++;
      if (isErrorLevel(record.level)) counts.errorLines++;
    }
    this.closeLogBins();
    this.addBehaviourPoints(this.behaviour.add(logLineOfRecord(record), partition));
  }

  addAnomaly(anomaly: Anomaly): void {
    const evidence = logEvidenceOf(anomaly);
    if (!evidence) return;
    this.logs.push(evidence);
    this.touch(anomaly.service);
  }

  addAlert(alert: Alert): void {
    const known = this.alerts.get(alert.fingerprint);
    if (alert.status === 'resolved') {
      if (known && known.endsAt === undefined)
        known.endsAt = Date.parse(alert.endsAt ?? alert.startsAt);
      return;
    }
    // a repeat of a firing alert changes nothing; one firing again after it resolved starts anew
    if (known && known.endsAt === undefined) return;
    this.alerts.set(alert.fingerprint, {
      service: alert.service,
      fingerprint: alert.fingerprint,
      alertname: alert.alertname,
      startsAt: Date.parse(alert.startsAt),
    });
    this.touch(alert.service);
  }

  /** Follows the incident's lifecycle; returns the incident that now holds the evidence. */
  observeIncident(event: IncidentEvent): TrackedIncident {
    const incident = this.incidentFor(event);
    incident.services = [...new Set([...incident.services, ...event.incident.services])];
    if (incident.status === 'resolved' && event.incident.status === 'open')
      incident.episodeStart = Date.parse(event.at);
    if (incident.status === 'open' && event.incident.status === 'resolved')
      incident.resolvedAt = Date.parse(event.at);
    incident.status = event.incident.status;
    if (
      'fingerprint' in event &&
      event.fingerprint &&
      !incident.fingerprints.includes(event.fingerprint)
    )
      incident.fingerprints.push(event.fingerprint);
    if (event.type === 'merged') this.absorb(incident, event.mergedIncidentId);
    return incident;
  }

  incident(id: string): TrackedIncident | undefined {
    let current = this.incidents.get(id);
    while (current?.mergedInto) current = this.incidents.get(current.mergedInto);
    return current;
  }

  openIncidents(): TrackedIncident[] {
    return [...this.incidents.values()].filter((i) => i.status === 'open' && !i.mergedInto);
  }

  /** Grows whenever evidence arrives for any of these services (compare it with an earlier value). */
  evidenceVersion(services: Iterable<string>): number {
    let latest = 0;
    for (const service of services) latest = Math.max(latest, this.touched.get(service) ?? 0);
    return latest;
  }

  /** The ranking case of an incident over a candidate subgraph, as things stand at `now`. */
  caseFor(incidentId: string, topology: RcaTopology, now: number): RcaCase | undefined {
    const incident = this.incident(incidentId);
    if (!incident) return undefined;
    const members = new Set(topology.services);
    const alerts = incident.fingerprints.flatMap((f) => {
      const known = this.alerts.get(f);
      if (!known || (known.endsAt !== undefined && known.endsAt < incident.episodeStart)) return [];
      const { endsAt: _ended, ...alert } = known;
      return [alert];
    });
    const firstAlert = Math.min(incident.episodeStart, ...alerts.map((a) => a.startsAt));
    const series: MetricSeries[] = [];
    // spans see every call a call record says, and what the callee did: theirs win a name both
    // give, while they keep coming (traces that stopped, say the OTLP path down, leave it to calls)
    const chosen = new Map<string, SeriesBuffer>();
    for (const [key, traced] of this.traceSeries) {
      const calledUntil = this.series.get(key)?.times.at(-1) ?? -Infinity;
      if (calledUntil - (traced.times.at(-1) ?? -Infinity) <= TRACES_STALE_MS)
        chosen.set(key, traced);
    }
    for (const [key, called] of this.series) if (!chosen.has(key)) chosen.set(key, called);
    for (const buffer of chosen.values()) {
      if (!members.has(buffer.service) || buffer.times.length === 0) continue;
      series.push({
        service: buffer.service,
        metric: buffer.metric,
        times: [...buffer.times],
        values: [...buffer.values],
        ...(this.options.maintainedBaselines && {
          baseline: latestBefore(buffer.baselines, firstAlert - this.options.leadMs),
        }),
        ...(buffer.windowMs && { windowMs: buffer.windowMs }),
      });
    }
    const anomalyStart = firstAlert - this.options.leadMs;
    // Log anomalies shortly before the period count (logEvidenceFrom), but not from before an
    // incident among these services was resolved: those were its fault, or the restart that healed
    // it (a caller's errors while its callee restarted), not this episode's.
    const logsFrom = logEvidenceFrom(
      anomalyStart,
      this.lastResolvedAmong(members, incident.episodeStart),
    );
    return {
      topology,
      series,
      logs: this.logs.filter(
        (l) => members.has(l.service) && l.onset <= now && l.onset >= logsFrom,
      ),
      transitions: this.transitions.filter(
        (t) => members.has(t.service) && t.at <= now && t.at >= now - this.options.historyMs,
      ),
      alerts: alerts.filter((a) => members.has(a.service)),
      anomalyStart,
      end: now,
    };
  }

  /** The latest time, up to `before`, that an incident touching any of `services` was resolved. */
  private lastResolvedAmong(services: ReadonlySet<string>, before: number): number {
    let latest = -Infinity;
    for (const other of this.incidents.values())
      if (
        other.resolvedAt !== undefined &&
        other.resolvedAt <= before &&
        other.resolvedAt > latest &&
        other.services.some((s) => services.has(s))
      )
        latest = other.resolvedAt;
    return latest;
  }

  /**
   * Each live stream's time now ({@link StreamTime}: its slowest partition's latest record, epoch
   * ms), -Infinity before its first record: bins close graceMs behind it.
   */
  streamTimes(): TelemetryStreamTimes {
    return {
      callRecords: this.calls.streamTime(),
      logLines: this.logLines.streamTime(),
      logBehaviour: this.behaviour.streamTime(),
      traceSpans: this.traces.streamTime(),
    };
  }

  /** What the live streams have turned away so far (an operator's signal: lost evidence). */
  dropped(): DroppedRecords {
    return {
      callRecords: this.calls.dropped,
      logLines: this.logLines.dropped,
      logBehaviour: this.behaviour.dropped,
      traceSpans: this.traces.dropped,
    };
  }

  /**
   * The reader's time now: what records from too far ahead are measured against, and how long a
   * stream has been quiet. Look often (apps/rca does every second, apart from its ranking passes,
   * which can take long): a clock left behind by more than `telemetryAheadMs` turns everything away.
   */
  observeClock(now: number): void {
    this.calls.observeClock(now);
    this.logLines.observeClock(now);
    this.behaviour.observeClock(now);
    this.traces.observeClock(now);
  }

  /** Forgets what is older than the history and retention allow. */
  prune(now: number): void {
    this.observeClock(now);
    // a stream quiet for a while by this clock hands its last bins out too
    this.closeCallBins();
    this.closeLogBins();
    this.addBehaviourPoints(this.behaviour.closeDue());
    this.addTracePoints(this.traces.closeDue());
    for (const buffers of [this.series, this.traceSeries])
      for (const [key, buffer] of buffers) {
        this.trim(buffer, now);
        if (buffer.times.length === 0) buffers.delete(key);
      }
    const historyFrom = now - this.options.historyMs;
    this.transitions = this.transitions.filter((t) => t.at >= historyFrom);
    const oldest = now - this.options.retentionMs;
    const keep = this.logs.filter((l) => l.onset >= oldest);
    this.logs.splice(0, this.logs.length, ...keep);
    for (const [fingerprint, alert] of this.alerts)
      if (alert.startsAt < oldest) this.alerts.delete(fingerprint);
    for (const [id, incident] of this.incidents) {
      if (incident.status === 'resolved' && incident.openedAt < oldest) this.incidents.delete(id);
    }
  }

  private closeCallBins(): void {
    for (const closed of this.calls.closeDue()) {
      for (const { metric, value } of closed.value.points())
        this.addPoint(closed.key, metric, closed.time, value);
      this.touch(closed.key);
    }
  }

  private closeLogBins(): void {
    for (const { key, time, value } of this.logLines.closeDue()) {
      this.fillLogGap(key, time);
      this.addPoint(key, 'log_lines', time, value.lines);
      this.addPoint(key, 'log_error_lines', time, value.errorLines);
      this.touch(key);
    }
  }

  private addBehaviourPoints(points: readonly BehaviourPoint[]): void {
    for (const point of points) {
      this.addPoint(point.service, point.metric, point.time, point.value, point.windowMs);
      this.touch(point.service);
    }
    this.addTransitions(this.behaviour.takeTransitions());
  }

  private addTracePoints(points: readonly TracePoint[]): void {
    for (const { service, metric, time, value, windowMs } of points) {
      this.addPoint(service, metric, time, value, windowMs, this.traceSeries);
      this.touch(service);
    }
    this.addTransitions(this.traces.takeTransitions());
  }

  private addTransitions(counts: readonly StepTransitionCount[]): void {
    for (const count of counts) {
      this.transitions.push(count);
      this.touch(count.service);
    }
    // a burst of new step names (an operation named after each request, say) is bounded too
    if (this.transitions.length > MAX_STEP_COUNTS)
      this.transitions.splice(0, this.transitions.length - MAX_STEP_COUNTS * 0.9);
  }

  private incidentFor(event: IncidentEvent): TrackedIncident {
    const existing = this.incidents.get(event.incidentId);
    if (existing) return existing;
    const created: TrackedIncident = {
      id: event.incidentId,
      services: [],
      fingerprints: [],
      openedAt: Date.parse(event.incident.openedAt),
      episodeStart: Date.parse(event.incident.openedAt),
      status: event.incident.status,
    };
    this.incidents.set(created.id, created);
    return created;
  }

  private absorb(survivor: TrackedIncident, absorbedId: string): void {
    const absorbed = this.incidents.get(absorbedId);
    if (!absorbed || absorbed === survivor) return;
    absorbed.mergedInto = survivor.id;
    survivor.services = [...new Set([...survivor.services, ...absorbed.services])];
    for (const f of absorbed.fingerprints)
      if (!survivor.fingerprints.includes(f)) survivor.fingerprints.push(f);
    survivor.openedAt = Math.min(survivor.openedAt, absorbed.openedAt);
    survivor.episodeStart = Math.min(survivor.episodeStart, absorbed.episodeStart);
  }

  private addPoint(
    service: string,
    metric: string,
    time: number,
    value: number,
    windowMs?: number,
    buffers = this.series,
  ): void {
    const key = `${service}\u0000${metric}`;
    let buffer = buffers.get(key);
    if (!buffer) {
      buffer = {
        service,
        metric,
        times: [],
        values: [],
        baselines: [],
        ...(windowMs && { windowMs }),
      };
      buffers.set(key, buffer);
    }
    insertInOrder(buffer, time, value);
    this.trim(buffer);
    this.refreshBaseline(buffer);
  }

  /** A bin without lines between two with lines is a count of zero, not a missing point (as logLineSeries). */
  private fillLogGap(service: string, time: number): void {
    const times = this.series.get(`${service}\u0000log_lines`)?.times;
    const last = times?.[times.length - 1];
    if (last === undefined) return;
    const { telemetryBinMs: binMs, maxPointsPerSeries } = this.options;
    const from = Math.max(last + binMs, time - maxPointsPerSeries * binMs);
    for (let t = from; t < time; t += binMs) {
      this.addPoint(service, 'log_lines', t, 0);
      this.addPoint(service, 'log_error_lines', t, 0);
    }
  }

  private refreshBaseline(buffer: SeriesBuffer): void {
    if (!this.options.maintainedBaselines) return;
    const latest = buffer.times[buffer.times.length - 1];
    const last = buffer.baselines[buffer.baselines.length - 1];
    if (latest === undefined || (last && latest - last.until < this.options.baselineEveryMs))
      return;
    const baseline = metricBaseline(buffer, latest + 1);
    if (!baseline) return;
    buffer.baselines.push(baseline);
    const keep = Math.ceil(this.options.historyMs / this.options.baselineEveryMs) + 1;
    if (buffer.baselines.length > keep) buffer.baselines.splice(0, buffer.baselines.length - keep);
  }

  private touch(service: string): void {
    this.touched.set(service, ++this.arrivals);
  }

  private trim(buffer: SeriesBuffer, now?: number): void {
    const latest = now ?? buffer.times[buffer.times.length - 1] ?? 0;
    let drop = 0;
    while (drop < buffer.times.length && buffer.times[drop] < latest - this.options.historyMs)
      drop++;
    drop = Math.max(drop, buffer.times.length - this.options.maxPointsPerSeries);
    if (drop > 0) {
      buffer.times.splice(0, drop);
      buffer.values.splice(0, drop);
    }
  }
}

interface LogLineCounts {
  lines: number;
  errorLines: number;
}

/** A log anomaly from vigil.anomalies.v1 as ranking evidence (metric anomalies are not: the ranker scores the series). */
export function logEvidenceOf(anomaly: Anomaly): LogEvidence | undefined {
  if (anomaly.signal.kind !== 'log') return undefined;
  return {
    service: anomaly.service,
    templateId: anomaly.signal.templateId,
    template: anomaly.signal.template,
    pattern: anomaly.signal.pattern,
    score: anomaly.score,
    onset: Date.parse(anomaly.onset),
  };
}

function latestBefore(
  baselines: readonly MetricBaseline[],
  time: number,
): MetricBaseline | undefined {
  for (let i = baselines.length - 1; i >= 0; i--)
    if (baselines[i].until <= time) return baselines[i];
  return undefined;
}

/** Samples mostly arrive in order; a late one is put where it belongs. */
function insertInOrder(buffer: SeriesBuffer, time: number, value: number): void {
  let at = buffer.times.length;
  while (at > 0 && buffer.times[at - 1] > time) at--;
  if (at > 0 && buffer.times[at - 1] === time) {
    buffer.values[at - 1] = value;
    return;
  }
  buffer.times.splice(at, 0, time);
  buffer.values.splice(at, 0, value);
}
