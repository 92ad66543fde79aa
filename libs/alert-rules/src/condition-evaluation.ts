import {
  type AbsentCondition,
  type ComparisonOp,
  type Condition,
  defaultGroupLabels,
  type RangeExpr,
  type RatioExpr,
  type SeriesSelector,
  type ThresholdCondition,
  type ValueExpr,
} from './alert-rule';
import { compileSelector } from './label-matchers';
import { type MetricSeries, samplesBetween, seriesLabel } from './metric-series';
import { combiners, defaultCombiner, defaultMinSamples, rangeFunctions } from './range-functions';

/** What a condition reads: the series by metric name, the time of evaluation. */
export interface EvaluationContext {
  seriesOf(metric: string): Iterable<MetricSeries>;
  readonly nowMs: number;
  /** The first evaluation; a service expected but never seen counts as silent since then. */
  readonly startedAtMs: number;
}

/** One would-be alert: its group labels (e.g. service and instance) and the value. */
export interface GroupValue {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Group key → value. For a condition: only the groups for which it holds. */
export type GroupValues = Map<string, GroupValue>;

export type CompiledExpr = (context: EvaluationContext) => GroupValues;

/** The group labels of a series, without the empty ones (a batch without instance has none). */
function groupOf(
  series: MetricSeries,
  by: readonly string[],
): { key: string; labels: Record<string, string> } {
  const labels: Record<string, string> = {};
  const values = by.map((name) => seriesLabel(series, name));
  by.forEach((name, i) => {
    if (values[i] !== '') labels[name] = values[i];
  });
  return { key: JSON.stringify(values), labels };
}

/** The series of a selector, each with its group; the regexes are compiled once, here. */
function compileSelection(selector: SeriesSelector, by: readonly string[]) {
  const matches = compileSelector(selector);
  return function* select(context: EvaluationContext) {
    for (const series of context.seriesOf(selector.metric))
      if (matches(series)) yield { series, ...groupOf(series, by) };
  };
}

type Selection = ReturnType<typeof compileSelection>;

/** Per group, the values of its series that have enough samples in the window. */
function valuesPerGroup(select: Selection, expr: RangeExpr, context: EvaluationContext) {
  const apply = rangeFunctions[expr.fn];
  const minSamples = Math.max(1, expr.minSamples ?? defaultMinSamples(expr.fn));
  const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const { series, key, labels } of select(context)) {
    const window = samplesBetween(series.samples, context.nowMs - expr.windowMs, context.nowMs);
    const span = window.length > 0 ? window[window.length - 1].t - window[0].t : 0;
    const short = window.length < minSamples || span < (expr.minSpanMs ?? 0);
    const value = short ? undefined : apply(window);
    if (value === undefined || !Number.isFinite(value)) continue;
    const group = groups.get(key) ?? { labels, values: [] };
    group.values.push(value);
    groups.set(key, group);
  }
  return groups;
}

function compileRange(expr: RangeExpr): CompiledExpr {
  const select = compileSelection(expr.select, expr.by ?? defaultGroupLabels);
  const combine = combiners[expr.combine ?? defaultCombiner(expr.fn)];
  return (context) => {
    const result: GroupValues = new Map();
    for (const [key, group] of valuesPerGroup(select, expr, context))
      result.set(key, { labels: group.labels, value: combine(group.values) });
    return result;
  };
}

function compileRatio(expr: RatioExpr): CompiledExpr {
  const numerator = compileRange(expr.numerator);
  const denominator = compileRange(expr.denominator);
  const minDenominator = expr.minDenominator ?? 0;
  return (context) => {
    const above = numerator(context);
    const result: GroupValues = new Map();
    for (const [key, below] of denominator(context)) {
      if (below.value <= 0 || below.value < minDenominator) continue;
      result.set(key, { labels: below.labels, value: (above.get(key)?.value ?? 0) / below.value });
    }
    return result;
  };
}

export function compileValue(expr: ValueExpr): CompiledExpr {
  return expr.kind === 'range' ? compileRange(expr) : compileRatio(expr);
}

const comparisons: Readonly<Record<ComparisonOp, (a: number, b: number) => boolean>> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

function compileThreshold(condition: ThresholdCondition): CompiledExpr {
  const value = compileValue(condition.value);
  const holds = comparisons[condition.op];
  return (context) => {
    const result: GroupValues = new Map();
    for (const [key, group] of value(context))
      if (holds(group.value, condition.threshold)) result.set(key, group);
    return result;
  };
}

/** Per group, when its newest matching sample arrived (as the value). */
function lastHeardPerGroup(select: Selection, context: EvaluationContext): GroupValues {
  const newest: GroupValues = new Map();
  for (const { series, key, labels } of select(context)) {
    const seen = newest.get(key);
    if (!seen || series.lastTime > seen.value) newest.set(key, { labels, value: series.lastTime });
  }
  return newest;
}

function compileAbsent(condition: AbsentCondition): CompiledExpr {
  const by = condition.by ?? defaultGroupLabels;
  const select = compileSelection(condition.select, by);
  // Keyed as a series of the service without the other labels would be, so one alert results.
  const keyOfService = (service: string) =>
    JSON.stringify(by.map((name) => (name === 'service' ? service : '')));
  return (context) => {
    const silentFor = (since: number) => (context.nowMs - since) / 1_000;
    const stale = (since: number) => context.nowMs - since > condition.staleAfterMs;
    const heard = lastHeardPerGroup(select, context);
    const result: GroupValues = new Map();
    for (const [key, { labels, value: lastTime }] of heard)
      if (stale(lastTime)) result.set(key, { labels, value: silentFor(lastTime) });
    const seen = new Set([...heard.values()].map((group) => group.labels.service));
    for (const service of condition.services ?? [])
      if (!seen.has(service) && stale(context.startedAtMs))
        result.set(keyOfService(service), {
          labels: { service },
          value: silentFor(context.startedAtMs),
        });
    return result;
  };
}

function compileAny(conditions: readonly Condition[]): CompiledExpr {
  const compiled = conditions.map(compileCondition);
  return (context) => {
    const result: GroupValues = new Map();
    for (const condition of compiled)
      for (const [key, group] of condition(context)) if (!result.has(key)) result.set(key, group);
    return result;
  };
}

/** A condition as a function from the store's state at a time to the groups it holds for. */
export function compileCondition(condition: Condition): CompiledExpr {
  switch (condition.kind) {
    case 'threshold':
      return compileThreshold(condition);
    case 'absent':
      return compileAbsent(condition);
    case 'any':
      return compileAny(condition.of);
  }
}
