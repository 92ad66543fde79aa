import type { AlertSeverity } from '@vigil/contracts';

/**
 * A label matcher as in PromQL (`=`, `!=`, `=~`, `!~`). Regexes are anchored at both ends, as in
 * Prometheus, so `5..` matches "500" but not "1500". `service` and `instance` can be matched too:
 * they are the batch's service and instance.
 */
export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** The series a rule reads: one metric name, optionally narrowed by labels and to one service. */
export interface SeriesSelector {
  readonly metric: string;
  /** One service only; left out, every service is evaluated and each gets its own alerts. */
  readonly service?: string;
  readonly matchers?: readonly LabelMatcher[];
}

/**
 * What a window of samples of one series comes down to.
 * - `rate`: per-second increase of a counter; a drop is read as a counter reset (restart).
 * - `increase`: the same increase, not divided by time.
 * - `slope`: least-squares slope per second of a gauge (PromQL `deriv`), for "rising steadily".
 */
export type RangeFunction = 'avg' | 'min' | 'max' | 'sum' | 'last' | 'rate' | 'increase' | 'slope';

/** How the per-series values that fall in the same alert (same `by` labels) are combined. */
export type Combiner = 'sum' | 'avg' | 'min' | 'max';

/**
 * A range function over every selected series, combined per group of `by` labels: PromQL's
 * `max by (service, instance) (avg_over_time(metric{...}[window]))`.
 */
export interface RangeExpr {
  readonly kind: 'range';
  readonly fn: RangeFunction;
  readonly select: SeriesSelector;
  readonly windowMs: number;
  /**
   * Defaults to `sum` for rate, increase and sum (parts of one total, e.g. requests by status)
   * and to `max` otherwise (the worst series speaks for the group, e.g. p99 by route).
   */
  readonly combine?: Combiner;
  /** One alert per distinct value of these labels. Default `['service', 'instance']`. */
  readonly by?: readonly string[];
  /** Fewer samples in the window gives no value (default 1, and 2 for rate, increase, slope). */
  readonly minSamples?: number;
  /**
   * Samples spanning less than this (oldest to newest in the window) give no value: a series
   * younger than that has no trend yet (a process warming up after a start climbs).
   */
  readonly minSpanMs?: number;
}

/**
 * `numerator / denominator`, joined on the group labels (both sides must use the same `by`).
 * A group with a denominator but no numerator series counts as 0 (no 5xx series yet means no
 * errors); a zero or missing denominator gives no value, so the rule cannot fire on no traffic.
 */
export interface RatioExpr {
  readonly kind: 'ratio';
  readonly numerator: RangeExpr;
  readonly denominator: RangeExpr;
  /** Below this denominator there is no value: 1 error in 2 requests is not a 50% error ratio. */
  readonly minDenominator?: number;
}

export type ValueExpr = RangeExpr | RatioExpr;

export type ComparisonOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** True for the groups whose value compares true with the threshold. */
export interface ThresholdCondition {
  readonly kind: 'threshold';
  readonly value: ValueExpr;
  readonly op: ComparisonOp;
  readonly threshold: number;
}

/**
 * True for a group whose newest matching sample is older than `staleAfterMs` (the target stopped
 * reporting); its value is the silence in seconds. A service never seen at all is only known if
 * listed in `services`, and then counts as silent since the evaluator's first evaluation.
 */
export interface AbsentCondition {
  readonly kind: 'absent';
  readonly select: SeriesSelector;
  readonly staleAfterMs: number;
  readonly by?: readonly string[];
  readonly services?: readonly string[];
}

/** True for a group when any of its conditions is; the value is that of the first true one. */
export interface AnyCondition {
  readonly kind: 'any';
  readonly of: readonly Condition[];
}

export type Condition = ThresholdCondition | AbsentCondition | AnyCondition;

/** How `{{value}}` is written in annotations. */
export type ValueUnit =
  | 'ratio'
  | 'milliseconds'
  | 'seconds'
  /** A short delay in seconds, written in ms below a second ("102 ms"); `seconds` is a duration. */
  | 'delaySeconds'
  | 'bytes'
  | 'bytesPerSecond'
  | 'perSecond'
  | 'number';

/**
 * `summary` and `description` are templates: `{{service}}`, `{{instance}}`, `{{value}}` and any
 * label of the alert (`{{route}}` or `{{labels.route}}`).
 */
export interface AlertAnnotations {
  readonly summary: string;
  readonly description?: string;
  readonly [name: string]: string | undefined;
}

/** A Prometheus alerting rule over Vigil metric batches. Durations are milliseconds. */
export interface AlertRule {
  /** The alert name (the `alertname` label); unique in a rule set. */
  readonly alert: string;
  readonly expr: Condition;
  /** How long the condition must hold before the alert fires (pending until then). */
  readonly for: number;
  /**
   * How long a firing alert stays firing after its condition clears, so one good sample in a bad
   * stretch does not resolve and re-fire it (Prometheus' `keep_firing_for`). Default 0.
   */
  readonly keepFiringFor?: number;
  readonly severity: AlertSeverity;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations: AlertAnnotations;
  /** How `{{value}}` is formatted. Default `number`. */
  readonly unit?: ValueUnit;
}

/** The labels every rule's alerts are grouped by unless the rule says otherwise. */
export const defaultGroupLabels: readonly string[] = ['service', 'instance'];

export const seconds = (n: number): number => n * 1_000;
export const minutes = (n: number): number => n * 60_000;
