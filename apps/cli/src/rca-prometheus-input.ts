import type { RcaEvidenceSource } from '@vigil/contracts';
import {
  PrometheusClient,
  prometheusEnvSchema,
  prometheusSettingsFromEnv,
  readNeighbourhoodMetrics,
} from '@vigil/prometheus';
import { mergeMetricSeries, type RcaCase } from '@vigil/rca';

/** How much history before `--anomaly-start` is asked for: the reference of normal behaviour. */
export const prometheusHistoryMs = 60 * 60_000;

/**
 * `vigil rca --prometheus URL`: the case's entities (every one by the service label) asked from
 * Prometheus from an hour before the anomaly to `--end` (or now), merged with the series the
 * files gave. The labels, matchers and queries are the rca service's `RCA_PROMETHEUS_*`
 * variables, read from the environment. Prometheus failing does not stop the ranking: the
 * returned source says why it is missing.
 */
export async function withPrometheusSeries(
  input: RcaCase,
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  now = Date.now(),
): Promise<{ input: RcaCase; source: RcaEvidenceSource }> {
  const parsed = prometheusEnvSchema.safeParse({ ...env, RCA_PROMETHEUS_URL: url });
  if (!parsed.success)
    throw new Error(
      `--prometheus: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`,
    );
  const settings = prometheusSettingsFromEnv(parsed.data);
  if (!settings) throw new Error('--prometheus needs a URL');
  const read = await readNeighbourhoodMetrics(
    new PrometheusClient(settings),
    settings,
    { services: input.topology.services, instances: [] },
    { start: input.anomalyStart - prometheusHistoryMs, end: input.end ?? now },
  );
  return {
    input: { ...input, series: mergeMetricSeries(input.series, read.series) },
    source: read.source,
  };
}

/** The line that says a source was not (fully) there, or undefined when it answered. */
export function sourceProblem(source: RcaEvidenceSource): string | undefined {
  if (source.status === 'ok') return undefined;
  const what = source.status === 'missing' ? 'missing: ranked without it' : 'partial';
  return `${source.name} ${what} (${source.detail ?? 'no detail'})`;
}
