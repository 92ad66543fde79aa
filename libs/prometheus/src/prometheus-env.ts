import { z } from 'zod';
import { envDurationMs } from '@vigil/config';
import { isMatcherList, labelNamePattern } from './promql-selector';
import {
  defaultPrometheusQueries,
  formatPrometheusQueries,
  parsePrometheusQueries,
  type PrometheusSourceSettings,
} from './prometheus-source-settings';

const labelName = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => labelNamePattern.test(v), 'must be a Prometheus label name, e.g. service');

/** The environment of the rca service's Prometheus source; no URL: RCA reads Kafka only. */
export const prometheusEnvSchema = z.object({
  RCA_PROMETHEUS_URL: z
    .string()
    .default('')
    .refine((v) => v === '' || /^https?:\/\/[^/\s]+/.test(v), 'must be an http(s) URL or empty')
    .describe(
      "Prometheus server RCA reads metrics from (query_range over an incident's neighbourhood), e.g. http://127.0.0.1:9090; empty: only vigil.metrics.v1.",
    ),
  RCA_PROMETHEUS_SERVICE_LABEL: labelName('service').describe(
    'The Prometheus label whose value is a service entity of the topology.',
  ),
  RCA_PROMETHEUS_INSTANCE_LABEL: labelName('instance').describe(
    'The Prometheus label whose value is an instance entity of the topology.',
  ),
  RCA_PROMETHEUS_MATCHERS: z
    .string()
    .default('')
    .refine(isMatcherList, 'must be label matchers like job="demo-shop", env!="dev"')
    .describe(
      'Label matchers every RCA query adds, e.g. job="demo-shop", so other jobs with the same service names are left out.',
    ),
  RCA_PROMETHEUS_QUERIES: z
    .string()
    .default(formatPrometheusQueries(defaultPrometheusQueries))
    .transform((text, ctx) => {
      try {
        return parsePrometheusQueries(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .describe(
      'What RCA asks per entity: `name=PromQL` entries separated by `;`; `$selector` stands for the entity matchers, `$by` for the label naming the entity, `$window` for the rate window. The name is the series name in the ranking (as on vigil.metrics.v1).',
    ),
  RCA_PROMETHEUS_STEP_MS: envDurationMs(10_000, { min: 1000 }).describe(
    'Resolution of the series RCA asks Prometheus for.',
  ),
  RCA_PROMETHEUS_RATE_WINDOW_MS: envDurationMs(30_000, { min: 1000 }).describe(
    'What `$window` stands for in the queries (the range of rate()): at least four scrape intervals.',
  ),
  RCA_PROMETHEUS_TIMEOUT_MS: envDurationMs(5000, { min: 1 }).describe(
    'How long one Prometheus query may take, answer included; after it RCA ranks without it.',
  ),
  RCA_PROMETHEUS_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1024, 'must be at least 1024')
    .default(8 * 1024 * 1024)
    .describe('A Prometheus answer larger than this is cut off and counted as a failed query.'),
  RCA_PROMETHEUS_MAX_SERIES: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1')
    .default(2000)
    .describe('Series one query may return at most (Prometheus `limit`).'),
  RCA_PROMETHEUS_REFRESH_MS: envDurationMs(15_000, { min: 1000 }).describe(
    "How often an open incident's Prometheus series are asked again (and, after a failure, how long before Prometheus is tried again).",
  ),
});

export type PrometheusReaderSettings = PrometheusSourceSettings & { refreshMs: number };

/** The Prometheus source as settings, or undefined when no URL is set. */
export function prometheusSettingsFromEnv(
  env: z.output<typeof prometheusEnvSchema>,
): PrometheusReaderSettings | undefined {
  if (!env.RCA_PROMETHEUS_URL) return undefined;
  return {
    url: env.RCA_PROMETHEUS_URL,
    serviceLabel: env.RCA_PROMETHEUS_SERVICE_LABEL,
    instanceLabel: env.RCA_PROMETHEUS_INSTANCE_LABEL,
    matchers: env.RCA_PROMETHEUS_MATCHERS,
    queries: env.RCA_PROMETHEUS_QUERIES,
    stepMs: env.RCA_PROMETHEUS_STEP_MS,
    rateWindowMs: env.RCA_PROMETHEUS_RATE_WINDOW_MS,
    timeoutMs: env.RCA_PROMETHEUS_TIMEOUT_MS,
    maxResponseBytes: env.RCA_PROMETHEUS_MAX_RESPONSE_BYTES,
    maxSeries: env.RCA_PROMETHEUS_MAX_SERIES,
    refreshMs: env.RCA_PROMETHEUS_REFRESH_MS,
  };
}

/** The settings `vigil rca --prometheus URL` uses: the defaults with that URL. */
export function defaultPrometheusSettings(url: string): PrometheusSourceSettings {
  const settings = prometheusSettingsFromEnv(
    prometheusEnvSchema.parse({ RCA_PROMETHEUS_URL: url }),
  );
  if (!settings) throw new Error('a Prometheus URL is needed');
  return settings;
}
