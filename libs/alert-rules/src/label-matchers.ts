import type { LabelMatcher, SeriesSelector } from './alert-rule';
import { type MetricSeries, seriesLabel } from './metric-series';

export type SeriesPredicate = (series: MetricSeries) => boolean;

/** Anchored like Prometheus: `5..` must match the whole value. */
export function anchoredRegex(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function compileMatcher(matcher: LabelMatcher): SeriesPredicate {
  const { label, value } = matcher;
  switch (matcher.op) {
    case '=':
      return (series) => seriesLabel(series, label) === value;
    case '!=':
      return (series) => seriesLabel(series, label) !== value;
    case '=~': {
      const regex = anchoredRegex(value);
      return (series) => regex.test(seriesLabel(series, label));
    }
    case '!~': {
      const regex = anchoredRegex(value);
      return (series) => !regex.test(seriesLabel(series, label));
    }
  }
}

/**
 * The selector as one predicate, regexes compiled once. The metric name is not checked here:
 * the store hands out series by name already.
 */
export function compileSelector(selector: SeriesSelector): SeriesPredicate {
  const matchers = (selector.matchers ?? []).map(compileMatcher);
  const { service } = selector;
  if (service !== undefined) matchers.unshift((series) => series.service === service);
  return (series) => matchers.every((matches) => matches(series));
}
