import { planNeighbourhoodQueries, readNeighbourhoodMetrics } from './neighbourhood-metrics';
import { PrometheusUnavailableError, type RangeQuery } from './prometheus-client';
import {
  defaultPrometheusQueries,
  type PrometheusSourceSettings,
} from './prometheus-source-settings';
import { PrometheusQueryError, type RangeResult } from './query-range-response';

const settings: PrometheusSourceSettings = {
  url: 'http://prometheus:9090',
  serviceLabel: 'service',
  instanceLabel: 'instance',
  matchers: 'job="demo-shop"',
  queries: [...defaultPrometheusQueries],
  stepMs: 10_000,
  rateWindowMs: 30_000,
  timeoutMs: 1000,
  maxResponseBytes: 1 << 20,
  maxSeries: 500,
};
const window = { start: 1_000_000, end: 1_600_000 };
const entities = { services: ['checkout', 'cart'], instances: [] };

/** A Prometheus stand-in: each query answered by the first rule whose text it contains. */
function fakeClient(answer: (query: RangeQuery) => RangeResult) {
  const asked: RangeQuery[] = [];
  return {
    asked,
    client: {
      url: settings.url,
      queryRange: async (query: RangeQuery) => {
        asked.push(query);
        return answer(query);
      },
    },
  };
}

describe('the queries of a neighbourhood', () => {
  it('ask every configured metric for the services, grouped by the service label', () => {
    const planned = planNeighbourhoodQueries(settings, entities, window);
    expect(planned.map((p) => p.range.query)).toEqual([
      'max by (service) (http_error_ratio{job="demo-shop", service=~"cart|checkout"})',
      'max by (service) (http_request_duration_p99_ms{job="demo-shop", service=~"cart|checkout"})',
      'max by (service) (rate(process_cpu_seconds_total{job="demo-shop", service=~"cart|checkout"}[30s]))',
      'max by (service) (process_resident_memory_bytes{job="demo-shop", service=~"cart|checkout"})',
      'min by (service) (up{job="demo-shop", service=~"cart|checkout"})',
      'max by (service) (nodejs_eventloop_lag_mean_seconds{job="demo-shop", service=~"cart|checkout"})',
    ]);
    expect(planned[0].range).toMatchObject({
      start: 1_000_000,
      end: 1_600_000,
      stepMs: 10_000,
      limit: 500,
    });
  });

  it('ask instance entities by the instance label, and big neighbourhoods in pieces', () => {
    const many = Array.from({ length: 150 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
    const planned = planNeighbourhoodQueries(
      { ...settings, queries: [defaultPrometheusQueries[4]] },
      { services: many, instances: ['10.0.0.7:8080'] },
      window,
    );
    expect(planned).toHaveLength(3);
    expect(planned[0].names.size).toBe(100);
    expect(planned[1].names.size).toBe(50);
    expect(planned[2].range.query).toBe(
      'min by (instance) (up{job="demo-shop", instance=~"10\\\\.0\\\\.0\\\\.7:8080"})',
    );
  });
});

describe('reading the metrics of a neighbourhood', () => {
  it("names each series by its entity and the query's metric name", async () => {
    const { client } = fakeClient(
      (query): RangeResult => ({
        warnings: [],
        series: query.query.includes('http_error_ratio')
          ? [
              { labels: { service: 'checkout' }, times: [1_000_000, 1_010_000], values: [0, 0.6] },
              // not asked for: a label collision elsewhere in Prometheus must not add an entity
              { labels: { service: 'elsewhere' }, times: [1_000_000], values: [1] },
              { labels: {}, times: [1_000_000], values: [1] },
            ]
          : [],
      }),
    );
    const read = await readNeighbourhoodMetrics(client, settings, entities, window);
    expect(read.series).toEqual([
      {
        service: 'checkout',
        metric: 'http_error_ratio',
        times: [1_000_000, 1_010_000],
        values: [0, 0.6],
      },
    ]);
    expect(read.source).toEqual({ name: 'prometheus', status: 'ok' });
  });

  it('keeps labels a query did not aggregate away in the series name, as Kafka samples are named', async () => {
    const { client } = fakeClient(() => ({
      warnings: [],
      series: [
        {
          labels: { __name__: 'x', service: 'cart', route: '/pay' },
          times: [1_000_000],
          values: [3],
        },
      ],
    }));
    const read = await readNeighbourhoodMetrics(
      client,
      { ...settings, queries: [{ metric: 'latency', expr: 'x{$selector}' }] },
      entities,
      window,
    );
    expect(read.series.map((s) => `${s.service} ${s.metric}`)).toEqual([
      'cart latency{route="/pay"}',
    ]);
  });

  it('says the source is missing, and why, when Prometheus cannot be reached', async () => {
    const { client } = fakeClient(() => {
      throw new PrometheusUnavailableError('connect ECONNREFUSED 127.0.0.1:9090');
    });
    const read = await readNeighbourhoodMetrics(client, settings, entities, window);
    expect(read.series).toEqual([]);
    expect(read.source).toEqual({
      name: 'prometheus',
      status: 'missing',
      detail: 'http://prometheus:9090: connect ECONNREFUSED 127.0.0.1:9090',
    });
  });

  it('says the source is partial when some queries fail, naming them', async () => {
    const { client } = fakeClient((query) => {
      if (query.query.includes('process_cpu_seconds_total'))
        throw new PrometheusQueryError('bad_data: parse error');
      return { warnings: [], series: [] };
    });
    const read = await readNeighbourhoodMetrics(client, settings, entities, window);
    expect(read.source).toEqual({
      name: 'prometheus',
      status: 'partial',
      detail: `1 of ${settings.queries.length} queries failed: bad_data: parse error`,
    });
  });

  it('asks nothing when the neighbourhood has no entity', async () => {
    const { client, asked } = fakeClient(() => ({ warnings: [], series: [] }));
    const read = await readNeighbourhoodMetrics(
      client,
      settings,
      { services: [], instances: [] },
      window,
    );
    expect(asked).toEqual([]);
    expect(read).toEqual({
      series: [],
      source: { name: 'prometheus', status: 'ok' },
      answered: true,
    });
  });

  it("says the source is missing when Prometheus answers but no series names the incident's entities", async () => {
    // a deployment whose services are labelled `app`, read with the default `service` mapping
    const { client } = fakeClient(() => ({
      warnings: [],
      series: [{ labels: { app: 'cart' }, times: [1_000_000], values: [0.5] }],
    }));
    const read = await readNeighbourhoodMetrics(client, settings, entities, window);
    expect(read.series).toEqual([]);
    expect(read.answered).toBe(true);
    expect(read.source.status).toBe('missing');
    expect(read.source.detail).toContain('no series has service set to one of');
    expect(read.source.detail).toContain('RCA_PROMETHEUS_SERVICE_LABEL');
  });
});
