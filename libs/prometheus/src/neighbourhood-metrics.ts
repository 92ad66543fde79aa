import type { RcaEvidenceSource } from '@vigil/contracts';
import { seriesName, type MetricSeries } from '@vigil/rca';
import { PrometheusClient, type RangeQuery } from './prometheus-client';
import type { PrometheusQuery, PrometheusSourceSettings } from './prometheus-source-settings';
import { entityMatchers, expandQuery, promqlDuration } from './promql-selector';
import type { RangeResult } from './query-range-response';

/** The entities of an incident's neighbourhood, by the label that names them in Prometheus. */
export interface NeighbourhoodEntities {
  /** Services (and anything else named by the service label: databases, caches ...). */
  services: readonly string[];
  instances: readonly string[];
}

export interface MetricsWindow {
  /** Epoch ms. */
  start: number;
  end: number;
}

export interface NeighbourhoodMetrics {
  series: MetricSeries[];
  /** How the source answered, for the RCA result. */
  source: RcaEvidenceSource;
  /** Whether Prometheus answered any query: a source missing for want of labels still answers. */
  answered: boolean;
}

/** Entities per selector: a neighbourhood of thousands is asked in pieces, not one huge regex. */
const entitiesPerQuery = 100;
const maxDetailLength = 300;

interface PlannedQuery {
  query: PrometheusQuery;
  label: string;
  names: ReadonlySet<string>;
  range: RangeQuery;
}

/** The range queries for a neighbourhood: every configured query per label and chunk of names. */
export function planNeighbourhoodQueries(
  settings: PrometheusSourceSettings,
  entities: NeighbourhoodEntities,
  window: MetricsWindow,
): PlannedQuery[] {
  const groups = [
    { label: settings.serviceLabel, names: entities.services },
    { label: settings.instanceLabel, names: entities.instances },
  ];
  const planned: PlannedQuery[] = [];
  for (const group of groups) {
    const names = [...new Set(group.names)].sort();
    for (let i = 0; i < names.length; i += entitiesPerQuery) {
      const chunk = names.slice(i, i + entitiesPerQuery);
      const selector = entityMatchers(group.label, chunk, settings.matchers);
      if (!selector) continue;
      for (const query of settings.queries)
        planned.push({
          query,
          label: group.label,
          names: new Set(chunk),
          range: {
            query: expandQuery(query.expr, {
              selector,
              by: group.label,
              window: promqlDuration(settings.rateWindowMs),
            }),
            start: window.start,
            end: window.end,
            stepMs: settings.stepMs,
            limit: settings.maxSeries,
          },
        });
    }
  }
  return planned;
}

/**
 * One series per entity and query from a range result: the entity is the value of the label the
 * query grouped by; labels left over (a query that keeps `route`) become part of the name, as
 * apps/rca names Kafka samples. Series of entities not asked for are dropped.
 */
export function seriesFromRange(
  result: RangeResult,
  query: PrometheusQuery,
  label: string,
  names: ReadonlySet<string>,
): MetricSeries[] {
  const series: MetricSeries[] = [];
  for (const found of result.series) {
    const entity = found.labels[label];
    if (entity === undefined || !names.has(entity) || found.times.length === 0) continue;
    const { [label]: _entity, __name__: _name, ...rest } = found.labels;
    series.push({
      service: entity,
      metric: seriesName(query.metric, rest),
      times: found.times,
      values: found.values,
    });
  }
  return series;
}

/**
 * Every configured query over the neighbourhood, in parallel. Never throws for Prometheus's sake:
 * an unreachable or failing Prometheus gives no series and a `missing` source that says why,
 * some failed queries a `partial` one, so the ranking goes on with what Kafka holds.
 */
export async function readNeighbourhoodMetrics(
  client: Pick<PrometheusClient, 'queryRange' | 'url'>,
  settings: PrometheusSourceSettings,
  entities: NeighbourhoodEntities,
  window: MetricsWindow,
): Promise<NeighbourhoodMetrics> {
  const planned = planNeighbourhoodQueries(settings, entities, window);
  const answers = await Promise.allSettled(planned.map((p) => client.queryRange(p.range)));
  const series: MetricSeries[] = [];
  const failures: string[] = [];
  const warnings = new Set<string>();
  answers.forEach((answer, i) => {
    const { query, label, names } = planned[i];
    if (answer.status === 'rejected') {
      failures.push(`${query.metric}: ${errorMessage(answer.reason)}`);
      return;
    }
    answer.value.warnings.forEach((w) => warnings.add(w));
    series.push(...seriesFromRange(answer.value, query, label, names));
  });
  const labels = [...new Set(planned.map((p) => p.label))];
  return {
    series,
    answered: planned.length === 0 || failures.length < planned.length,
    source: sourceReport(client.url, planned.length, failures, [...warnings], {
      found: series.length,
      labels,
    }),
  };
}

function sourceReport(
  url: string,
  asked: number,
  failures: readonly string[],
  warnings: readonly string[],
  answered: { found: number; labels: readonly string[] },
): RcaEvidenceSource {
  const name = 'prometheus';
  if (failures.length > 0 && failures.length === asked)
    return { name, status: 'missing', detail: clip(`${url}: ${distinct(failures)}`) };
  // every query answered and none named an entity of the incident: most likely a label mapping
  // that does not match this deployment's labels, which must not pass for evidence read
  if (failures.length === 0 && asked > 0 && answered.found === 0)
    return {
      name,
      status: 'missing',
      detail: clip(
        `${url} answered, but no series has ${answered.labels.join(' or ')} set to one of the incident's entities: check the label mapping (RCA_PROMETHEUS_SERVICE_LABEL, RCA_PROMETHEUS_INSTANCE_LABEL)`,
      ),
    };
  if (failures.length > 0)
    return {
      name,
      status: 'partial',
      detail: clip(`${failures.length} of ${asked} queries failed: ${distinct(failures)}`),
    };
  return warnings.length > 0
    ? { name, status: 'ok', detail: clip(`warnings: ${warnings.join('; ')}`) }
    : { name, status: 'ok' };
}

/** The same cause for every query (Prometheus down) is said once. */
function distinct(failures: readonly string[]): string {
  const reasons = [...new Set(failures.map((f) => f.slice(f.indexOf(': ') + 2)))];
  return reasons.length === 1 ? reasons[0] : failures.join('; ');
}

function clip(text: string): string {
  return text.length <= maxDetailLength ? text : `${text.slice(0, maxDetailLength - 1)}…`;
}

function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
