import { defaultPrometheusQueries } from './prometheus-source-settings';
import { prometheusEnvSchema, prometheusSettingsFromEnv } from './prometheus-env';

const read = (env: Record<string, string>) => prometheusEnvSchema.safeParse(env);

describe('the Prometheus source variables', () => {
  it('leave RCA on Kafka alone without a URL', () => {
    const parsed = read({});
    expect(parsed.success && prometheusSettingsFromEnv(parsed.data)).toBeUndefined();
  });

  it('map labels to entities and take the default queries with a URL', () => {
    const parsed = prometheusEnvSchema.parse({
      RCA_PROMETHEUS_URL: 'http://127.0.0.1:9090',
      RCA_PROMETHEUS_SERVICE_LABEL: 'app',
      RCA_PROMETHEUS_MATCHERS: 'job="shop"',
    });
    expect(prometheusSettingsFromEnv(parsed)).toMatchObject({
      url: 'http://127.0.0.1:9090',
      serviceLabel: 'app',
      instanceLabel: 'instance',
      matchers: 'job="shop"',
      queries: defaultPrometheusQueries,
      stepMs: 10_000,
      timeoutMs: 5000,
    });
  });

  it('refuse what Prometheus would not take, saying what is expected', () => {
    const issues = (env: Record<string, string>) => {
      const parsed = read(env);
      return parsed.success
        ? []
        : parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    };
    expect(issues({ RCA_PROMETHEUS_URL: 'localhost:9090' })).toEqual([
      'RCA_PROMETHEUS_URL: must be an http(s) URL or empty',
    ]);
    expect(issues({ RCA_PROMETHEUS_SERVICE_LABEL: 'service.name' })).toEqual([
      'RCA_PROMETHEUS_SERVICE_LABEL: must be a Prometheus label name, e.g. service',
    ]);
    expect(issues({ RCA_PROMETHEUS_MATCHERS: 'job=shop' })).toEqual([
      'RCA_PROMETHEUS_MATCHERS: must be label matchers like job="demo-shop", env!="dev"',
    ]);
    expect(issues({ RCA_PROMETHEUS_QUERIES: 'up=up' })).toEqual([
      'RCA_PROMETHEUS_QUERIES: the query of up has no $selector: it would not pick the entities',
    ]);
  });
});
