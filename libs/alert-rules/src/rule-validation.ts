import {
  type AlertRule,
  type Condition,
  defaultGroupLabels,
  type RangeExpr,
  type SeriesSelector,
  type ValueExpr,
} from './alert-rule';
import { anchoredRegex } from './label-matchers';

/** Labels the evaluator sets itself from the rule; a rule label could only contradict them. */
const reservedLabels: readonly string[] = ['alertname', 'severity'];

const isDuration = (ms: number): boolean => Number.isFinite(ms) && ms >= 0;
const isWindow = (ms: number): boolean => Number.isFinite(ms) && ms > 0;

function selectorProblems(selector: SeriesSelector): string[] {
  const problems = selector.metric === '' ? ['a selector needs a metric name'] : [];
  for (const matcher of selector.matchers ?? []) {
    if (matcher.op !== '=~' && matcher.op !== '!~') continue;
    try {
      anchoredRegex(matcher.value);
    } catch {
      problems.push(
        `${selector.metric}: ${matcher.label}${matcher.op}"${matcher.value}" is not a valid regex`,
      );
    }
  }
  return problems;
}

function rangeProblems(expr: RangeExpr): string[] {
  const problems = selectorProblems(expr.select);
  if (!isWindow(expr.windowMs)) problems.push(`${expr.select.metric}: windowMs must be above 0`);
  if (expr.minSamples !== undefined && !(Number.isInteger(expr.minSamples) && expr.minSamples >= 1))
    problems.push(`${expr.select.metric}: minSamples must be a whole number from 1`);
  if (expr.minSpanMs !== undefined && !(expr.minSpanMs >= 0 && expr.minSpanMs <= expr.windowMs))
    problems.push(
      `${expr.select.metric}: minSpanMs must be from 0 to the window (${expr.windowMs})`,
    );
  return problems;
}

const byOf = (by: readonly string[] | undefined): string =>
  JSON.stringify(by ?? defaultGroupLabels);

function valueProblems(expr: ValueExpr): string[] {
  if (expr.kind === 'range') return rangeProblems(expr);
  const problems = [...rangeProblems(expr.numerator), ...rangeProblems(expr.denominator)];
  // The two sides are joined on their group labels; different ones would never meet.
  if (byOf(expr.numerator.by) !== byOf(expr.denominator.by))
    problems.push('a ratio needs the same `by` labels on both sides');
  return problems;
}

/** The grouping of a condition, so `any` can check its parts produce the same alerts. */
function groupingOf(condition: Condition): string | undefined {
  switch (condition.kind) {
    case 'threshold':
      return byOf(
        condition.value.kind === 'range' ? condition.value.by : condition.value.denominator.by,
      );
    case 'absent':
      return byOf(condition.by);
    case 'any':
      return condition.of.length > 0 ? groupingOf(condition.of[0]) : undefined;
  }
}

function conditionProblems(condition: Condition): string[] {
  switch (condition.kind) {
    case 'threshold':
      return Number.isFinite(condition.threshold)
        ? valueProblems(condition.value)
        : ['the threshold must be a finite number', ...valueProblems(condition.value)];
    case 'absent':
      return absentProblems(condition);
    case 'any':
      return anyProblems(condition.of);
  }
}

function absentProblems(condition: Extract<Condition, { kind: 'absent' }>): string[] {
  const problems = selectorProblems(condition.select);
  if (!isWindow(condition.staleAfterMs)) problems.push('staleAfterMs must be above 0');
  if (condition.services?.length && !(condition.by ?? defaultGroupLabels).includes('service'))
    problems.push('expected `services` need `service` among the `by` labels');
  return problems;
}

function anyProblems(conditions: readonly Condition[]): string[] {
  if (conditions.length === 0) return ['`any` needs at least one condition'];
  const problems = conditions.flatMap(conditionProblems);
  if (new Set(conditions.map(groupingOf)).size > 1)
    problems.push('the conditions of `any` need the same `by` labels');
  return problems;
}

function ruleProblems(rule: AlertRule): string[] {
  const problems = conditionProblems(rule.expr);
  if (rule.alert.trim() === '') problems.push('the alert needs a name');
  if (!isDuration(rule.for)) problems.push('`for` must be 0 or more milliseconds');
  if (rule.keepFiringFor !== undefined && !isDuration(rule.keepFiringFor))
    problems.push('`keepFiringFor` must be 0 or more milliseconds');
  if (rule.annotations.summary.trim() === '') problems.push('the summary is empty');
  for (const label of reservedLabels)
    if (rule.labels && Object.hasOwn(rule.labels, label))
      problems.push(`the label "${label}" is set from the rule itself`);
  return problems;
}

/** Everything wrong with a rule set, each problem prefixed with its rule; empty when valid. */
export function validateRules(rules: readonly AlertRule[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const rule of rules) {
    if (seen.has(rule.alert)) problems.push(`${rule.alert}: the alert name is used twice`);
    seen.add(rule.alert);
    problems.push(...ruleProblems(rule).map((problem) => `${rule.alert}: ${problem}`));
  }
  return problems;
}

/** Rules are configuration: a wrong one should stop the start-up, not fail quietly at 3 a.m. */
export function assertValidRules(rules: readonly AlertRule[]): void {
  const problems = validateRules(rules);
  if (problems.length > 0) throw new Error(`invalid alert rules: ${problems.join('; ')}`);
}
