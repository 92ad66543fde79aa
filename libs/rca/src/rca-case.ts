/**
 * The plain data root-cause analysis works on, the same whether it comes from Kafka and Neo4j
 * (apps/rca), from files (`vigil rca`) or from the benchmark's generator. Times are epoch ms.
 */

import type { TopologyGraph, TopologyGraphEdge } from '@vigil/contracts';

/** `from` calls or depends on `to` (RUNS_ON: `from` runs on host `to`); faults travel against the arrow. */
export type RcaEdge = TopologyGraphEdge;

/** The services and their edges: the plain topology graph of libs/contracts. */
export type RcaTopology = TopologyGraph;

/**
 * One metric of one service over time. Metric names are free-form; the usual ones are
 * `latency` (or `latency_p50`, `latency_p99`, `latency-90` ...), `error_rate`, `cpu`, `memory`,
 * `throughput` and `saturation`.
 */
export interface MetricSeries {
  service: string;
  metric: string;
  /** Ascending epoch ms, same length as values. */
  times: number[];
  values: number[];
  /**
   * Each point sums up this long up to its time (a sliding window), not one instant: a change
   * held for the scorer's sustain time needs that much less of points above the rest.
   */
  windowMs?: number;
  /**
   * Normal behaviour computed as the data arrived (apps/rca keeps one per series and minute):
   * used instead of recomputing it from the points before `anomalyStart`, when it ends no later
   * than that and not long before.
   */
  baseline?: MetricBaseline;
}

/** A series' robust profile over a window of its history: the reference a change is scored against. */
export interface MetricBaseline {
  median: number;
  /** Interquartile range, floored as the scorer floors it. */
  scale: number;
  /** The window's end (epoch ms): points before it made the profile. */
  until: number;
  points: number;
}

/** A log template that behaved unusually on a service (an error burst or a never-seen template). */
export interface LogEvidence {
  service: string;
  templateId: string;
  template: string;
  pattern: 'error-burst' | 'new-template';
  score: number;
  onset: number;
}

/**
 * A version going out on a service (a deploy), going back (a rollback), or a new config version
 * made current (a config change; `version` is its number).
 */
export interface ReleaseEvidence {
  service: string;
  version: string;
  at: number;
  kind: 'deploy' | 'rollback' | 'config';
}

/**
 * How many requests' work in a service went from step `from` straight to step `to`, among those
 * that began in the bin starting at `at` (epoch ms): see StepTransitionCounter.
 */
export interface StepTransitionCount {
  service: string;
  at: number;
  from: string;
  to: string;
  count: number;
}

/**
 * A step that used to follow another in a service's work and stopped: `to` came after `from` in
 * a share `usual` of the requests before the anomalous period, and `observed` times of the
 * `expected` since. `surprise` is -log10 of the chance of so few by luck, less what testing every
 * step of the case buys by luck. A step after a call into another service may be that service's
 * answer: the service called is given part of it (`share`), its copy naming the `witness`.
 */
export interface MissingStepEvidence {
  service: string;
  from: string;
  to: string;
  usual: number;
  expected: number;
  observed: number;
  surprise: number;
  /** On the callee's copy: the caller whose work lost the step (`service` is the callee then). */
  witness?: string;
  share: number;
}

export interface AlertEvidence {
  service: string;
  fingerprint: string;
  alertname: string;
  startsAt: number;
}

/** Everything known about one incident (or one benchmark case) when ranking its root causes. */
export interface RcaCase {
  topology: RcaTopology;
  series: MetricSeries[];
  logs?: LogEvidence[];
  /** Step-to-step counts of the services' requests, from traces and logs (StepTransitionCounter). */
  transitions?: StepTransitionCount[];
  alerts?: AlertEvidence[];
  /**
   * Releases known from the platform. Absent: nobody reports them (a new log template is then the
   * best sign of a new version); present, even empty: a service not in it was not released.
   */
  releases?: ReleaseEvidence[];
  /**
   * Where the anomalous period begins (RCAEval's detection / injection time): data before it is
   * the reference of normal behaviour, data from it on is what is explained.
   */
  anomalyStart: number;
  /** Data after this is ignored (the moment of ranking); default: all of it. */
  end?: number;
}

export interface MetricEvidence {
  metric: string;
  score: number;
  onset: number;
  direction: 'up' | 'down';
}

export interface RootCauseEvidence {
  metrics: MetricEvidence[];
  logs: LogEvidence[];
  /** Steps of its work that stopped following the ones they used to (or of its callers' work, after calling it). */
  steps?: MissingStepEvidence[];
  alerts: AlertEvidence[];
  /** Deploys shortly before or during the case; undefined when releases are not reported. */
  deploys?: Array<{ version: string; at: number }>;
  /** Config changes shortly before or during the case; undefined when releases are not reported. */
  configChanges?: Array<{ version: string; at: number }>;
  /** The earliest onset among its evidence. */
  onset?: number;
}

export interface RankedRootCause {
  service: string;
  score: number;
  evidence: RootCauseEvidence;
  /** From the candidate to the symptom it explains, following the call graph against its arrows. */
  path: string[];
}

/** Anything that ranks root causes: Vigil's method and every baseline share this shape. */
export type RootCauseRanker = (input: RcaCase) => RankedRootCause[];
