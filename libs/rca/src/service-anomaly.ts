import { defaultMissingStepOptions, missingSteps, type MissingStepOptions } from './missing-steps';
import { isFiniteNumber } from './signals/finite-number';
import type {
  AlertEvidence,
  LogEvidence,
  MetricEvidence,
  MetricSeries,
  MissingStepEvidence,
  RcaCase,
  ReleaseEvidence,
} from './rca-case';
import {
  lowerBound,
  type MetricScoreOptions,
  scoreMetric,
  upperBound,
} from './signals/metric-change-scorer';
import { median, quantile } from './signals/robust-statistics';

/** What a metric says when it moves, for deciding which way a fault travelled. */
export type MetricMeaning =
  | 'slow'
  | 'failing'
  | 'traffic'
  | 'resource'
  | 'link'
  | 'waiting'
  | 'behaviour'
  | 'other';

/**
 * `read` remembered per metric name: it is asked for every series of every ranking. At most
 * 10,000 names, as the names come from outside.
 */
function perMetricName<T>(read: (metric: string) => T): (metric: string) => T {
  const known = new Map<string, T>();
  return (metric) => {
    if (known.has(metric)) return known.get(metric) as T;
    const value = read(metric);
    if (known.size < 10_000) known.set(metric, value);
    return value;
  };
}

export const metricMeaning = perMetricName((metric) => classify(metric.toLowerCase()));

/** How far a service's mix of work moved, or how much of it is new (`log_path_shift`, `trace_path_novelty`). */
const mixSeries = /^[^{]*_(shift|novelty)\b/;

function classify(name: string): MetricMeaning {
  // the host's figures reported beside the service's (every resident reports the same): they say
  // something is going on on the machine, not which of its residents caused it
  if (/^(node|host|machine)[_.]/.test(name)) return 'other';
  // the wait on one call link (both of its ends report it): before the name of the peer can match
  if (/^[^{]*link_wait/.test(name)) return 'link';
  // the mix of what a service does (its log statements, its operations and calls) changed
  // or the calls it makes per request it serves (work cut short, or a new path), either way
  if (mixSeries.test(name) || name.includes('calls_out_per_request')) return 'behaviour';
  // how long the service waited on its own calls out: a symptom of what it calls
  if (/client.?latenc|latenc\w*client/.test(name)) return 'waiting';
  if (/latenc|duration|response.?time|_rt\b|^rt\b|p9\d|p50|lat_/.test(name)) return 'slow';
  if (/error|fail|5xx|exception|fault/.test(name)) return 'failing';
  if (/throughput|workload|request|rps|qps|traffic|tps|count|operations/.test(name))
    return 'traffic';
  // a single-threaded runtime's event loop running late is its CPU saturated, whatever share the
  // host gave it
  if (/cpu|mem|disk|heap|gc|thread|fd|socket|net|saturation|load|io|event.?loop/.test(name))
    return 'resource';
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
  /** Overall anomaly of the service, from every signal (also consequences like less traffic). */
  anomaly: number;
  /** How strongly it shows trouble that can start there: slow, failing, down, overloaded, redeployed. */
  cause: number;
  /** Slower responses. */
  slow: number;
  /**
   * Longer waits on its own calls out (client-side latency): what a caller of a slow dependency
   * shows, never a cause of its own.
   */
  waiting: number;
  /**
   * How much slower, per latency metric, in its own unit (median after minus median before): a
   * dependency 2 ms slower does not explain a caller 800 ms slower, however unusual its 2 ms.
   */
  slowShift: Record<string, number>;
  /** More errors (metrics, error bursts in its logs). */
  failing: number;
  /** Its traffic fell (a crash, or callers that stopped calling). */
  collapsed: number;
  /** It is gone: its metrics stopped coming or dropped to nothing. */
  down: number;
  /** It uses more of its resources (CPU, memory ...). */
  resource: number;
  /** It logs statements never seen before (a new version, a new failure). */
  novel: number;
  /**
   * What it does changed: the mix of its log statements or request paths, its operations, the
   * calls it makes per request. Its own code (an exception, a wrong value) does that, and so does
   * a dependency that answers slowly or badly, so unlike new statements it is no defence against
   * being a dependency's victim.
   */
  behaviour: number;
  /**
   * How surely its call links got slower by its own doing: a fault at one service delays the links
   * it takes part in, while each of its peers sees only the one link to it (see
   * attributedSlowLinks).
   */
  link: number;
  /**
   * The largest change score, significant or not, of a signal that can start there (slower, more
   * errors, more resources, slower links, a changed behaviour), at its peak: what is left to go by
   * when candidates have no significant evidence (a case with next to no history), instead of the
   * name (see sustainedFaint).
   */
  faint: number;
  /** Steps of its work that stopped following the ones they used to (see missingSteps). */
  steps: MissingStepEvidence[];
  /**
   * How surely its answers changed: its callers' work lost the step that used to follow their
   * call to it. Callers are independent witnesses: the more of them, the surer. Unlike a change
   * of its own work, this reaches its callers.
   */
  answered: number;
  /** Each caller's testimony behind `answered`, by caller: see answeredFor. */
  answeredBy: Record<string, number>;
  /** Whether it reports its own latency at all (a series that reads as latency): one that does can speak for itself. */
  reportsLatency: boolean;
  /** Versions deployed on it shortly before or during the case; undefined when nobody says. */
  deploys?: Array<{ version: string; at: number }>;
  /** Config versions made current on it shortly before or during the case. */
  configChanges?: Array<{ version: string; at: number }>;
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
  /** How sure an alert saying the target is gone (TargetDown ...) makes us that it is down. */
  goneAlertWeight: number;
  /** A deploy this long before the anomalous period still counts as what changed. */
  releaseLookbackMs: number;
  /**
   * A change must hold for this long to count at full strength: the score is the one exceeded
   * this long, not the single worst point. One failed request of a service that gets two a
   * second is a spike of 50% errors for one scrape window, not an outage.
   */
  sustainMs: number;
  /**
   * A latency change that began further than this before the anomalous period is not part of it:
   * latency follows a fault within seconds, so a minute is already generous. (Three minutes let a
   * bystander's slow drift, begun 95 s before a network delay elsewhere, outrank the delayed
   * service in Nezha's Online Boutique; every synthetic suite is as good or better at one.)
   */
  latencyLeadMs: number;
  /**
   * The scale, as a share of its level, of a latency series whose normal window never moved
   * (scoreMetric's `flatScaleFloor`). A quantile read from a histogram sits at a bucket bound for
   * an hour and steps to the next bound on a few slow requests: twice the level or more with
   * Prometheus' default buckets. At half the level, a step of one bucket reads as 2 to 3 units,
   * under the noise floor, and a step of two as 6 or more.
   */
  flatLatencyFloor: number;
  /** Corrected surprise (missingSteps) at which a missing step counts as 63% of its weight. */
  missingStepScale: number;
  /** The most a missing step can count for: it says the work changed, less surely than an error. */
  missingStepWeight: number;
  /** When a step counts as missing at all (how usual it was, how many were expected). */
  missingSteps: MissingStepOptions;
}

export const defaultAnomalyScale: AnomalyScale = {
  noiseFloor: 3,
  scale: 6,
  alertWeight: 0.25,
  goneAlertWeight: 0.9,
  releaseLookbackMs: 10 * 60_000,
  sustainMs: 60_000,
  latencyLeadMs: 60_000,
  flatLatencyFloor: 0.5,
  missingStepScale: 5,
  missingStepWeight: 0.5,
  missingSteps: defaultMissingStepOptions,
};

export function significance(score: number, scale: AnomalyScale = defaultAnomalyScale): number {
  return 1 - Math.exp(-Math.max(0, score - scale.noiseFloor) / scale.scale);
}

/** Scores every series of the case once and groups the evidence by service. */
export function serviceAnomalies(
  input: RcaCase,
  scale: AnomalyScale = defaultAnomalyScale,
): Map<string, ServiceAnomaly> {
  const byService = new Map<string, ServiceAnomaly>();
  const scoring = scoringByMeaning(scale);
  // Missing points per service, resource series apart: a service nobody calls has no latency to
  // report, but a running process always has CPU and memory.
  const reporting = new Map<string, ReportingTally>();
  const entry = (service: string) => {
    let found = byService.get(service);
    if (!found) {
      found = emptyAnomaly(service);
      byService.set(service, found);
    }
    return found;
  };
  const caseEnd = input.end ?? latestTime(input);
  const sourceEnds = latestPerSource(input.series, caseEnd);
  const zeroedServices = new Set<string>();
  const links = new Map<string, number>();
  const bulk = new Map<string, Set<string>>();
  // a service's series mostly come together: its entries are looked up once for them
  let current: { target: ServiceAnomaly; tally: ReportingTally } | undefined;
  for (const series of input.series) {
    if (current?.target.service !== series.service)
      current = { target: entry(series.service), tally: reportingOf(reporting, series.service) };
    const { target, tally } = current;
    const meaning = metricMeaning(series.metric);
    if (meaning === 'link') links.set(series.service, (links.get(series.service) ?? 0) + 1);
    if (meaning === 'slow') noteBulkQuantile(bulk, series.service, series.metric);
    if (meaning === 'slow' && series.times.length > 0) target.reportsLatency = true;
    // a series is missing points only while its source still reports for the other services: a
    // collector that stopped (or a trace recording that ended) is not every service going away
    const sourceEnd = sourceEnds.get(sourceOf(series.metric)) ?? caseEnd;
    const missing =
      missingShare(series, input.anomalyStart, sourceEnd) ??
      // too sparse to know its rhythm, but CPU or memory still reported: the process is there
      (meaning === 'resource' && reportsWithin(series, input.anomalyStart, caseEnd)
        ? 0
        : undefined);
    if (missing !== undefined) tallyMissing(tally, meaning, missing);
    tallyFrozen(tally, series, input, scale);
    const peak = scoreMetric(series, input.anomalyStart, input.end, scoring(meaning));
    if (!peak) continue;
    if (
      canStartHere(meaning, peak.direction, series.metric) &&
      !earlierLatency(meaning, peak, input, scale)
    )
      target.faint = Math.max(target.faint, peak.score);
    // Most series of a large topology are quiet: only a real change is looked at more closely.
    if (peak.score <= scale.noiseFloor) continue;
    const parts = split(series, input);
    if (peak.direction === 'down' && /cpu|mem/i.test(series.metric) && zeroed(parts, scale))
      zeroedServices.add(series.service);
    const evidence = sustainedEvidence(series, peak, parts, scale);
    if (significance(evidence.score, scale) <= 0) continue;
    if (earlierLatency(meaning, evidence, input, scale)) continue;
    target.metrics.push(evidence);
    if (metricMeaning(series.metric) === 'slow' && evidence.direction === 'up')
      recordShift(target, series.metric, parts);
  }
  for (const log of input.logs ?? [])
    if (withinCase(log.onset, input)) entry(log.service).logs.push(log);
  if (input.transitions)
    for (const step of missingSteps(
      input.transitions,
      input.anomalyStart,
      input.end,
      scale.missingSteps,
    ))
      entry(step.service).steps.push(step);
  for (const alert of input.alerts ?? []) {
    if (input.end === undefined || alert.startsAt <= input.end)
      entry(alert.service).alerts.push(alert);
  }
  if (input.releases) attachDeploys(byService, input, input.releases, scale);
  const sharing = servicesPerTemplate(byService.values());
  const slowLinks = attributedSlowLinks(byService, links, scale);
  for (const anomaly of byService.values()) {
    summarise(
      anomaly,
      scale,
      goneShare(reporting.get(anomaly.service)),
      links.get(anomaly.service),
      sharing,
      slowLinks.get(anomaly.service),
      bulk.get(anomaly.service),
    );
    if (zeroedServices.has(anomaly.service)) markDown(anomaly, 1);
    // The monitoring system saw the target go: as good as its metrics stopping, and sooner.
    if (anomaly.alerts.some((a) => goneAlertPattern.test(a.alertname)))
      markDown(anomaly, scale.goneAlertWeight);
  }
  return byService;
}

/**
 * The latency a quantile series belongs to: `pod_server_latency_p99` and `_p90` are two views of
 * `pod_server_latency`. A series that is no quantile is a family of its own.
 */
function latencyFamily(metric: string): string {
  return metric.replace(/_p\d{1,3}(?=$|\{)/, '');
}

/** The far tail (p99 and above): the slowest one request in a hundred. */
const tailQuantile = /_p99\d*(?=$|\{)/;

/** A far-tail latency series whose latency is also reported lower down. */
function fewSlow(metric: string, bulkLatencies: ReadonlySet<string>): boolean {
  return tailQuantile.test(metric) && bulkLatencies.has(latencyFamily(metric));
}

/** Latencies, per service, that are also reported below the far tail (a p90, a p50, a mean). */
function noteBulkQuantile(bulk: Map<string, Set<string>>, service: string, metric: string): void {
  const family = bulkFamilyOf(metric);
  if (family === undefined) return;
  let families = bulk.get(service);
  if (!families) bulk.set(service, (families = new Set()));
  families.add(family);
}

/** The latency family of a quantile below the far tail, undefined for the tail. */
const bulkFamilyOf = perMetricName((metric) =>
  tailQuantile.test(metric) ? undefined : latencyFamily(metric),
);

/** The peer a call link's series is about: `trace_link_wait_p90{peer=cart}` is about cart. */
export function peerOf(metric: string): string | undefined {
  return /\{peer=([^},]+)/.exec(metric)?.[1];
}

/**
 * How surely each service's slowed call links are its own doing, in [0, 1]. Both ends of a call
 * report the same wait, so a slow link is evidence against the pair, not against either end. It
 * goes to the end that better explains it: first the end with more OTHER slowed links (a service
 * delayed on the network slows all its links, each of its peers sees only the one to it), and
 * where neither has any, the end with fewer links that stayed fast (a peer whose other calls
 * were all fine is not the one whose network is slow; the more surely, the larger the slowdown
 * that would have shown on them). A service's links then add up as
 * independent pieces of evidence: one slowed link shared with a peer is not as sure as six of
 * its own. Links that name no peer count as their share of all the service's links, as before.
 */
function attributedSlowLinks(
  byService: ReadonlyMap<string, ServiceAnomaly>,
  links: ReadonlyMap<string, number>,
  scale: AnomalyScale,
): Map<string, number> {
  const perPeer = new Map<string, Map<string, number>>();
  const unnamed = new Map<string, number>();
  for (const anomaly of byService.values())
    for (const m of anomaly.metrics) {
      if (metricMeaning(m.metric) !== 'link' || m.direction !== 'up') continue;
      const weight = significance(m.score, scale);
      const peer = peerOf(m.metric);
      if (peer === undefined) {
        unnamed.set(anomaly.service, (unnamed.get(anomaly.service) ?? 0) + weight);
        continue;
      }
      let mine = perPeer.get(anomaly.service);
      if (!mine) perPeer.set(anomaly.service, (mine = new Map()));
      mine.set(peer, Math.max(mine.get(peer) ?? 0, weight));
    }
  const slowed = new Map<string, { sum: number; count: number }>();
  for (const [service, peers] of perPeer) {
    let sum = 0;
    for (const weight of peers.values()) sum += weight;
    slowed.set(service, { sum, count: peers.size });
  }
  // how well a fault at `service` would explain its link to `peer`, from its other links
  const explains = (service: string, peer: string) => {
    const own = slowed.get(service) ?? { sum: 0, count: 0 };
    const weight = perPeer.get(service)?.get(peer) ?? 0;
    const otherSlowed = own.sum - weight;
    const otherFast = Math.max(0, (links.get(service) ?? 0) - own.count);
    // The fast links only break a tie: worth a tenth of one slowed link at most. Each rules its
    // end out as far as the slowdown would have shown on it: a delay that made this link wait a
    // hundred times its usual would have slowed the fast ones too, a delay just above the noise
    // could hide in their noise.
    return otherSlowed + 0.1 / (1 + otherFast) ** (1 + weight);
  };
  const out = new Map<string, number>();
  for (const [service, count] of unnamed)
    out.set(service, count / ((links.get(service) ?? 0) + 0.5));
  for (const [service, peers] of perPeer) {
    let fast = 1 - (out.get(service) ?? 0);
    for (const [peer, weight] of peers) {
      const mine = explains(service, peer);
      fast *= 1 - (weight * mine) / (mine + explains(peer, service));
    }
    out.set(service, 1 - fast);
  }
  return out;
}

/**
 * Latency follows a fault within seconds: a latency change under way more than a minute before the
 * anomalous period is an earlier condition, not this one (resources may build up slowly).
 */
function earlierLatency(
  meaning: MetricMeaning,
  evidence: MetricEvidence,
  input: RcaCase,
  scale: AnomalyScale,
): boolean {
  const latency = meaning === 'slow' || meaning === 'waiting';
  return latency && evidence.onset < input.anomalyStart - scale.latencyLeadMs;
}

/**
 * The faint evidence of one service held for the sustain time, as significant evidence must be:
 * a single late spike does not order it before a service whose small change lasted. Computed only
 * for the few candidates a tie leaves to order (it costs a pass over their series).
 */
export function sustainedFaint(
  series: readonly MetricSeries[],
  input: RcaCase,
  scale: AnomalyScale = defaultAnomalyScale,
): number {
  const scoring = scoringByMeaning(scale);
  let faint = 0;
  for (const one of series) {
    const meaning = metricMeaning(one.metric);
    const peak = scoreMetric(one, input.anomalyStart, input.end, scoring(meaning));
    if (
      !peak ||
      !(peak.score > Math.max(1, faint)) ||
      !canStartHere(meaning, peak.direction, one.metric)
    )
      continue;
    const evidence = sustainedEvidence(one, peak, split(one, input), scale);
    if (!earlierLatency(meaning, evidence, input, scale)) faint = Math.max(faint, evidence.score);
  }
  return faint;
}

function recordShift(anomaly: ServiceAnomaly, metric: string, parts: SplitSeries): void {
  if (parts.normal.length === 0 || parts.anomalous.length === 0) return;
  const shift = median(parts.anomalous) - median(parts.normal);
  anomaly.slowShift[metric] = Math.max(anomaly.slowShift[metric] ?? 0, shift);
}

/**
 * How far the latency `cause` added accounts for what `effect` added, in [0, 1]: a call adds its
 * callee's delay to its own, so a callee that added at least half of it explains it fully, one
 * that added a hundredth explains next to nothing. 1 where they share no latency metric (the
 * units are unknown then).
 */
export function latencyShare(cause: ServiceAnomaly, effect: ServiceAnomaly): number {
  let share: number | undefined;
  for (const [metric, added] of Object.entries(effect.slowShift)) {
    const theirs = cause.slowShift[metric];
    if (theirs === undefined || !(added > 0)) continue;
    const one = Math.min(1, Math.max(0, theirs) / (0.5 * added));
    share = Math.max(share ?? 0, one);
  }
  return share ?? 1;
}

function reportsWithin(series: MetricSeries, from: number, to: number): boolean {
  const i = lowerBound(series.times, from);
  return i < series.times.length && series.times[i] <= to;
}

/**
 * How a service's series kept reporting, as sums (cheaper than lists for 10,000 services): their
 * missing shares (resource series apart), and of those that moved before the anomaly, how many
 * stood still after it.
 */
interface ReportingTally {
  resourceSum: number;
  resourceN: number;
  otherSum: number;
  otherN: number;
  moving: number;
  frozen: number;
}

function reportingOf(tallies: Map<string, ReportingTally>, service: string): ReportingTally {
  let tally = tallies.get(service);
  if (!tally) {
    tally = { resourceSum: 0, resourceN: 0, otherSum: 0, otherN: 0, moving: 0, frozen: 0 };
    tallies.set(service, tally);
  }
  return tally;
}

function tallyMissing(tally: ReportingTally, meaning: MetricMeaning, missing: number): void {
  if (meaning === 'resource') {
    tally.resourceSum += missing;
    tally.resourceN++;
  } else {
    tally.otherSum += missing;
    tally.otherN++;
  }
}

/**
 * Counts the series as frozen when, after the anomaly start, it repeats one value exactly for at
 * least `sustainMs` and for three times longer than any repeat before it. Some pipelines fill a
 * gap with the last value they had (a push gateway, an exporter's cache, a forward fill), so a
 * process that died keeps "reporting": its series go flat to the last digit, which a living
 * process's CPU, memory or latency never do for minutes. Series that were flat before (an error
 * rate of 0, a limit) say nothing and are not counted.
 */
function tallyFrozen(
  tally: ReportingTally,
  series: MetricSeries,
  input: RcaCase,
  scale: AnomalyScale,
): void {
  const { times, values } = series;
  const split = lowerBound(times, input.anomalyStart);
  const stop = input.end === undefined ? times.length : upperBound(times, input.end);
  const normalEnd = Math.min(split, stop);
  const after = repeats(values, split, stop);
  if (after.points < 3) return;
  // Most series repeat no value three times running after the start: then all that matters is
  // whether they moved before, told by their first points, not a pass over them all.
  if (after.longest < 3) {
    if (movedBefore(values, normalEnd)) tally.moving++;
    return;
  }
  const before = repeats(values, 0, normalEnd);
  if (before.points < 5 || before.longest >= before.points) return;
  tally.moving++;
  // the step last: it sorts gaps, and most series stop at the cheaper tests
  if (after.longest >= 3 * before.longest && after.longest * stepOf(series) >= scale.sustainMs)
    tally.frozen++;
}

/**
 * The finite points of `values[from, to)` and the most consecutive of them with exactly the same
 * value (a missing point does not end a run), without copying the series.
 */
function repeats(
  values: readonly number[],
  from: number,
  to: number,
): { points: number; longest: number } {
  let points = 0;
  let longest = 0;
  let previous = Number.NaN;
  let run = 0;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (!isFiniteNumber(v)) continue;
    run = run > 0 && v === previous ? run + 1 : 1;
    previous = v;
    points++;
    if (run > longest) longest = run;
  }
  return { points, longest };
}

/** Whether `values[0, to)` has at least 5 finite points, not all one value. */
function movedBefore(values: readonly number[], to: number): boolean {
  let points = 0;
  let first = Number.NaN;
  let moved = false;
  for (let i = 0; i < to; i++) {
    const v = values[i];
    if (!isFiniteNumber(v)) continue;
    if (points === 0) first = v;
    else if (v !== first) moved = true;
    points++;
    if (points >= 5 && moved) return true;
  }
  return false;
}

/**
 * The share of a service's moving series that froze, read as a share of missing points: when
 * at least two froze and they are most of what it reports, it went as surely as if they stopped.
 */
function frozenOf(tally: ReportingTally): number {
  return tally.frozen < 2 ? 0 : tally.frozen / tally.moving;
}

/** The mean missing share of the resource series when there are any (a running process always has them). */
function missingOf(tally: ReportingTally): number {
  if (tally.resourceN > 0) return tally.resourceSum / tally.resourceN;
  return tally.otherN > 0 ? tally.otherSum / tally.otherN : 0;
}

/** How surely its series say the service went: stopped (missing points) or frozen, the stronger. */
function goneShare(tally: ReportingTally | undefined): number {
  return tally ? Math.max(missingOf(tally), frozenOf(tally)) : 0;
}

/**
 * How a series of each meaning is scored: latency with the flat-window floor of `scale`. The
 * options are made once per pass, not once per series of a large topology.
 */
function scoringByMeaning(
  scale: AnomalyScale,
): (meaning: MetricMeaning) => Partial<MetricScoreOptions> | undefined {
  const latency = { flatScaleFloor: scale.flatLatencyFloor };
  return (meaning) => (meaning === 'slow' ? latency : undefined);
}

/** A service with no evidence at all (it is in the topology, nothing changed on it). */
export function emptyAnomaly(service: string): ServiceAnomaly {
  return {
    service,
    metrics: [],
    logs: [],
    alerts: [],
    anomaly: 0,
    cause: 0,
    slow: 0,
    waiting: 0,
    slowShift: {},
    failing: 0,
    collapsed: 0,
    down: 0,
    resource: 0,
    novel: 0,
    behaviour: 0,
    link: 0,
    faint: 0,
    steps: [],
    answered: 0,
    answeredBy: {},
    reportsLatency: false,
  };
}

/** A change of this kind can be the service's own trouble (not a consequence: less traffic, waits). */
function canStartHere(meaning: MetricMeaning, direction: 'up' | 'down', metric: string): boolean {
  if (meaning === 'behaviour') return behaviourChanged(metric, direction);
  return (
    direction === 'up' &&
    (meaning === 'slow' || meaning === 'failing' || meaning === 'resource' || meaning === 'link')
  );
}

/**
 * Whether a behaviour series moved the way a change of what the service does moves it. Fewer calls
 * out per request (work cut short) and more (a new path) both do; a mix that departs less from
 * the usual than before, or fewer events never seen before, is a service going back to its usual
 * ways (often after an earlier fault), not a new fault.
 */
function behaviourChanged(metric: string, direction: 'up' | 'down'): boolean {
  return direction === 'up' || !mixSeries.test(metric);
}

function withinCase(time: number, input: RcaCase): boolean {
  return input.end === undefined || time <= input.end;
}

/**
 * The series' change score, made robust to spikes: the deviation held for `sustainMs` (the k-th
 * largest among the anomalous points) replaces the single largest, whose point also dates it.
 */
function sustainedEvidence(
  series: MetricSeries,
  peak: MetricEvidence,
  { normal, anomalous, step }: SplitSeries,
  scale: AnomalyScale,
): MetricEvidence {
  if (normal.length === 0 || anomalous.length === 0) return peak;
  const sorted = [...normal].sort((a, b) => a - b);
  const center = quantile(sorted, 0.5);
  const measured =
    peak.score > 0
      ? Math.abs(peakValue(anomalous, center, peak.direction) - center) / peak.score
      : 0;
  const spread = Math.max(measured, errorRateFloor(series, normal, anomalous));
  if (!(spread > 0)) return peak;
  const sign = peak.direction === 'up' ? 1 : -1;
  const deviations = anomalous.map((v) => (sign * (v - center)) / spread).sort((a, b) => b - a);
  // points of a sliding window hold their window already: only the rest of the time must follow
  const heldMs = Math.max(step, scale.sustainMs - (series.windowMs ?? 0));
  const minimum = series.windowMs ? 0 : 1;
  const k = Math.min(deviations.length - 1, Math.max(minimum, Math.round(heldMs / step) - 1));
  return { ...peak, score: Math.max(0, Math.min(peak.score, deviations[k])) };
}

/**
 * Error ratios of a service that gets a request or two a second are zero most of the time and
 * jump by whole percents on one failed request: their change is measured in percentage points,
 * at least one (of a ratio in [0, 1], or of a percentage). Shares of a service's events (how far
 * its mix moved, how many of its paths are new) come from windows of a few dozen events, where one
 * event is several percent: their change is measured in steps of five points at least.
 */
function errorRateFloor(series: MetricSeries, normal: number[], anomalous: number[]): number {
  const meaning = metricMeaning(series.metric);
  const ratio = normal.every((v) => v <= 1) && anomalous.every((v) => v <= 1);
  if (meaning === 'behaviour' && series.windowMs !== undefined && ratio) return 0.05;
  if (meaning !== 'failing') return 0;
  return ratio ? 0.01 : 1;
}

/** The value furthest from the center in the given direction: the peak scoreMetric scored. */
function peakValue(values: readonly number[], center: number, direction: 'up' | 'down'): number {
  let best = center;
  for (const v of values) if (direction === 'up' ? v > best : v < best) best = v;
  return best;
}

interface SplitSeries {
  normal: number[];
  anomalous: number[];
  step: number;
}

function split(series: MetricSeries, input: RcaCase): SplitSeries {
  const normal: number[] = [];
  const anomalous: number[] = [];
  for (let i = 0; i < series.times.length; i++) {
    const t = series.times[i];
    const v = series.values[i];
    if (!isFiniteNumber(v) || (input.end !== undefined && t > input.end)) continue;
    (t < input.anomalyStart ? normal : anomalous).push(v);
  }
  return { normal, anomalous, step: stepOf(series) };
}

/** The series' usual time between points, from its first 50. */
function stepOf(series: MetricSeries): number {
  const gaps: number[] = [];
  for (let i = 1; i < Math.min(series.times.length, 50); i++)
    gaps.push(series.times[i] - series.times[i - 1]);
  return Math.max(1, median(gaps));
}

/**
 * The share of the points the anomalous period should have had but did not: a process that died
 * stops being scraped. Undefined when the series is too short to know its rhythm.
 */
function missingShare(
  series: MetricSeries,
  anomalyStart: number,
  caseEnd: number,
): number | undefined {
  const { times } = series;
  const before = lowerBound(times, anomalyStart);
  if (before < 5) return undefined;
  const after = lowerBound(times, caseEnd + 1) - before;
  const rate = before / Math.max(1, anomalyStart - times[0]);
  const expected = rate * Math.max(0, caseEnd - anomalyStart);
  return expected < 3 ? undefined : Math.max(0, 1 - after / expected);
}

/**
 * How many services show log evidence with the same template: a framework's error line that every
 * caller of a failing service prints says little about which of them failed.
 */
function servicesPerTemplate(anomalies: Iterable<ServiceAnomaly>): Map<string, number> {
  const logs: Array<{ service: string; template: string; tokens: string[] }> = [];
  for (const anomaly of anomalies)
    for (const log of anomaly.logs)
      logs.push({
        service: anomaly.service,
        template: log.template,
        tokens: log.template.split(/\s+/),
      });
  const out = new Map<string, number>();
  for (const a of logs) {
    if (out.has(a.template)) continue;
    const services = new Set<string>();
    for (const b of logs) if (sameStatement(a.tokens, b.tokens)) services.add(b.service);
    out.set(a.template, services.size);
  }
  return out;
}

/** Two templates say the same thing when most positions agree (names of peers may differ). */
function sameStatement(a: readonly string[], b: readonly string[]): boolean {
  const length = Math.max(a.length, b.length);
  let same = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] === b[i]) same++;
  return same >= 0.7 * length;
}

function summarise(
  anomaly: ServiceAnomaly,
  scale: AnomalyScale,
  missing: number,
  links = 0,
  sharing: ReadonlyMap<string, number> = new Map(),
  ownSlowLinks?: number,
  bulkLatencies: ReadonlySet<string> = new Set(),
): void {
  let normal = 1;
  let memoryDrop = 0;
  let slowLinks = 0;
  const onsets: number[] = [];
  for (const metric of anomaly.metrics) {
    const weight = significance(metric.score, scale);
    normal *= 1 - weight;
    const meaning = metricMeaning(metric.metric);
    const up = metric.direction === 'up';
    // The far tail of a latency that is also reported lower down never counts alone: a p99 up
    // while the p90 stayed is a few slow requests, which any service has now and then (unusual,
    // above, but not the service slowing down); where the p90 rose too, it says how slow.
    if (meaning === 'slow' && up && !fewSlow(metric.metric, bulkLatencies))
      anomaly.slow = Math.max(anomaly.slow, weight);
    if (meaning === 'waiting' && up) anomaly.waiting = Math.max(anomaly.waiting, weight);
    if (meaning === 'failing' && up) anomaly.failing = Math.max(anomaly.failing, weight);
    if (meaning === 'traffic' && !up) anomaly.collapsed = Math.max(anomaly.collapsed, weight);
    // Less CPU is what less traffic does; only more is trouble of the service's own.
    if (meaning === 'resource' && up) anomaly.resource = Math.max(anomaly.resource, weight);
    if (/mem/i.test(metric.metric) && !up) memoryDrop = Math.max(memoryDrop, weight);
    if (meaning === 'link' && up) slowLinks += weight;
    if (meaning === 'behaviour' && behaviourChanged(metric.metric, metric.direction))
      anomaly.behaviour = Math.max(anomaly.behaviour, weight);
    if (weight >= 0.5) onsets.push(metric.onset);
  }
  // new lines that are not errors: an error line's novelty is already counted as failing
  let novelOnly = 0;
  for (const log of anomaly.logs) {
    // the same line on several services at once is their common symptom, specific to none
    const weight = significance(log.score, scale) / (sharing.get(log.template) ?? 1);
    normal *= 1 - weight;
    if (log.pattern === 'error-burst') anomaly.failing = Math.max(anomaly.failing, weight);
    else anomaly.novel = Math.max(anomaly.novel, weight);
    // an error never logged before is the service failing in a new way, not only new code
    if (log.pattern === 'new-template' && errorLine.test(log.template))
      anomaly.failing = Math.max(anomaly.failing, weight);
    else if (log.pattern === 'new-template') novelOnly = Math.max(novelOnly, weight);
    if (weight >= 0.5) onsets.push(log.onset);
  }
  const calledBy = new Map<string, number>();
  // how surely a step of its own work went missing (its code took another branch, or its
  // handling of an answer it got): part of what can start there
  let skipped = 0;
  for (const step of anomaly.steps) {
    const weight =
      scale.missingStepWeight *
      step.share *
      (1 - Math.exp(-step.surprise / scale.missingStepScale));
    if (step.witness === undefined) skipped = Math.max(skipped, weight);
    // the strongest testimony of each caller
    else calledBy.set(step.witness, Math.max(calledBy.get(step.witness) ?? 0, weight));
  }
  anomaly.answeredBy = Object.fromEntries(calledBy);
  anomaly.answered = testimoniesBut(anomaly.answeredBy);
  // Half a link more in the denominator: a service with a single link is not as sure a culprit as
  // one all of whose six links slowed (when no attribution between the ends was made).
  anomaly.link = ownSlowLinks ?? (links > 0 ? slowLinks / (links + 0.5) : 0);
  // Metrics that stop, or traffic and memory that fall to nothing together: the process is gone.
  anomaly.down = Math.max(clamp01((missing - 0.2) / 0.5), Math.min(anomaly.collapsed, memoryDrop));
  normal *= (1 - scale.alertWeight) ** anomaly.alerts.length;
  normal *= 1 - anomaly.down;
  normal *= (1 - skipped) * (1 - anomaly.answered);
  anomaly.anomaly = 1 - normal;
  const alerting = 1 - (1 - scale.alertWeight) ** anomaly.alerts.length;
  // Each piece of evidence once: one new error line is not two independent signs of trouble.
  anomaly.cause =
    1 -
    (1 - anomaly.slow) *
      (1 - anomaly.failing) *
      (1 - anomaly.down) *
      (1 - anomaly.resource) *
      (1 - novelOnly) *
      (1 - anomaly.behaviour) *
      (1 - skipped) *
      (1 - anomaly.answered) *
      (1 - anomaly.link) *
      (1 - alerting);
  anomaly.metrics.sort((a, b) => b.score - a.score);
  anomaly.onset = onsets.length > 0 ? Math.min(...onsets) : undefined;
}

/**
 * How surely the service's answers changed, by its callers' testimonies (see `answered`), leaving
 * out the one of `caller`: that caller's own lost step is as likely its own handling as the
 * answer it got, so it cannot also clear that caller. Other callers that lost their step after
 * calling the same service are independent evidence that its answers changed.
 */
export function answeredFor(anomaly: ServiceAnomaly, caller?: string): number {
  // asked for every edge of a topology, where next to no service has testimonies: no testimony
  // but a zero one, then
  if (anomaly.answered === 0) return 0;
  return testimoniesBut(anomaly.answeredBy, caller);
}

/** Independent testimonies taken together (noisy-or), leaving out the one of `caller`. */
function testimoniesBut(answeredBy: Record<string, number>, caller?: string): number {
  let unchanged = 1;
  for (const witness in answeredBy) if (witness !== caller) unchanged *= 1 - answeredBy[witness];
  return 1 - unchanged;
}

/**
 * CPU or memory at next to nothing for a sustained while: a living process never looks like
 * that, a dead one reported as zeros (or a crash loop between restarts) does.
 */
function zeroed({ normal, anomalous, step }: SplitSeries, scale: AnomalyScale): boolean {
  if (normal.length < 5) return false;
  const level = median(normal);
  if (!(level > 0)) return false;
  const near = anomalous.filter((v) => v <= 0.05 * level).length;
  // one low scrape is a reading, not a state (a series scraped once a minute still needs two)
  return near >= 2 && near * step >= scale.sustainMs;
}

function attachDeploys(
  byService: Map<string, ServiceAnomaly>,
  input: RcaCase,
  releases: readonly ReleaseEvidence[],
  scale: AnomalyScale,
): void {
  for (const anomaly of byService.values()) {
    anomaly.deploys = [];
    anomaly.configChanges = [];
  }
  for (const release of releases) {
    if (release.kind === 'rollback' || !withinCase(release.at, input)) continue;
    if (release.at < input.anomalyStart - scale.releaseLookbackMs) continue;
    const anomaly = byService.get(release.service);
    const change = { version: release.version, at: release.at };
    if (release.kind === 'deploy') anomaly?.deploys?.push(change);
    else anomaly?.configChanges?.push(change);
  }
}

const errorLine = /\b(ERROR|FATAL|CRITICAL|Exception|Traceback|panic)\b/;

/** Alerts saying the target itself is gone (not that it answers badly). */
export const goneAlertPattern = /TargetDown|InstanceDown|NotReady|CrashLoop|OOMKill/i;

function markDown(anomaly: ServiceAnomaly, down: number): void {
  if (down <= anomaly.down) return;
  anomaly.anomaly = 1 - ((1 - anomaly.anomaly) * (1 - down)) / (1 - anomaly.down);
  anomaly.cause = 1 - ((1 - anomaly.cause) * (1 - down)) / (1 - anomaly.down);
  anomaly.down = down;
}

/** A series' kind whatever service or peer it is about: `trace_link_wait_p90{peer=a}` is `trace_link_wait_p90`. */
function sourceOf(metric: string): string {
  const brace = metric.indexOf('{');
  return brace < 0 ? metric : metric.slice(0, brace);
}

/** Per kind of series, the last sample time up to `caseEnd` over every service that reports it. */
function latestPerSource(series: readonly MetricSeries[], caseEnd: number): Map<string, number> {
  const latest = new Map<string, number>();
  for (const s of series) {
    const last = s.times[lowerBound(s.times, caseEnd + 1) - 1];
    if (last === undefined) continue;
    const source = sourceOf(s.metric);
    if (last > (latest.get(source) ?? -Infinity)) latest.set(source, last);
  }
  return latest;
}

/** The last sample time of the case: where the anomalous period ends when no end is given. */
function latestTime(input: RcaCase): number {
  let latest = input.anomalyStart;
  for (const series of input.series) {
    const last = series.times[series.times.length - 1];
    if (last !== undefined && last > latest) latest = last;
  }
  return latest;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
