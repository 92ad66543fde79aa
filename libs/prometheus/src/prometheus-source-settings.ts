/**
 * One series RCA pulls per entity: `metric` names it in the ranking (as `vigil.metrics.v1` names
 * a sample, so one name means one thing whichever source it came from), `expr` is PromQL with
 * `$selector` (the entity matchers), `$by` (the label that names the entity) and `$window` (the
 * range of rate()).
 */
export interface PrometheusQuery {
  metric: string;
  expr: string;
}

/** Where a deployment's Prometheus is and how its labels name Vigil's entities. */
export interface PrometheusSourceSettings {
  url: string;
  /** The label whose value is a service entity's id. */
  serviceLabel: string;
  /** The label whose value is an instance entity's id. */
  instanceLabel: string;
  /** Matchers every query adds, e.g. `job="demo-shop"`; may be empty. */
  matchers: string;
  queries: PrometheusQuery[];
  /** Resolution of the series asked for. */
  stepMs: number;
  /** What `$window` stands for: at least four scrape intervals. */
  rateWindowMs: number;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Series per query at most. */
  maxSeries: number;
}

/**
 * What RCA asks by default: the demo shop's metrics as infra/demo/prometheus/shop-alert-rules.yml
 * names them, one series per entity (the worst instance speaks for a service, as in the rules).
 * CPU is named `process_cpu_ratio` like the share of a core the shop publishes on Kafka.
 */
export const defaultPrometheusQueries: readonly PrometheusQuery[] = [
  { metric: 'http_error_ratio', expr: 'max by ($by) (http_error_ratio{$selector})' },
  {
    metric: 'http_request_duration_p99_ms',
    expr: 'max by ($by) (http_request_duration_p99_ms{$selector})',
  },
  {
    metric: 'process_cpu_ratio',
    expr: 'max by ($by) (rate(process_cpu_seconds_total{$selector}[$window]))',
  },
  {
    metric: 'process_resident_memory_bytes',
    expr: 'max by ($by) (process_resident_memory_bytes{$selector})',
  },
  { metric: 'up', expr: 'min by ($by) (up{$selector})' },
  {
    metric: 'nodejs_eventloop_lag_mean_seconds',
    expr: 'max by ($by) (nodejs_eventloop_lag_mean_seconds{$selector})',
  },
];

const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Queries as one environment value: `name=expr` entries separated by `;`. */
export function formatPrometheusQueries(queries: readonly PrometheusQuery[]): string {
  return queries.map((q) => `${q.metric}=${q.expr}`).join(';');
}

/**
 * `name=expr;name=expr` back into queries (split at each name's first `=`, since PromQL matchers
 * hold `=` too). Throws a message that says which entry is wrong.
 */
export function parsePrometheusQueries(text: string): PrometheusQuery[] {
  const entries = text
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new Error('needs at least one name=expr entry');
  const seen = new Set<string>();
  return entries.map((entry) => {
    const at = entry.indexOf('=');
    const metric = entry.slice(0, Math.max(0, at)).trim();
    const expr = entry.slice(at + 1).trim();
    if (at < 0 || !metricNamePattern.test(metric) || expr === '')
      throw new Error(`"${entry}" is not name=expr with a metric name like http_error_ratio`);
    if (!expr.includes('$selector'))
      throw new Error(`the query of ${metric} has no $selector: it would not pick the entities`);
    if (seen.has(metric)) throw new Error(`${metric} is named twice`);
    seen.add(metric);
    return { metric, expr };
  });
}
