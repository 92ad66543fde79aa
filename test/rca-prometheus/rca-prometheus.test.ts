import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rcaResultSchema } from '@vigil/contracts';
import {
  defaultPrometheusSettings,
  neighbourhoodEntities,
  PrometheusEvidence,
} from '@vigil/prometheus';
import {
  mergeMetricSeries,
  rankRootCauses,
  toRcaResult,
  type MetricSeries,
  type RcaCase,
} from '@vigil/rca';
import { vigil } from '../support/vigil-cli';
import { startPrometheusWithData, type PrometheusWithData } from './prometheus-with-data';

// RCA over the real Prometheus (.vigil/bin/prometheus, built by infra/local/go-tools.mjs): a
// fixed 40 minutes of the demo shop's metrics, written into its TSDB with promtool, then asked
// for the way apps/rca and `vigil rca --prometheus` ask.

const STEP_S = 10;
const T0 = Date.parse('2026-06-01T00:00:00Z') / 1000;
const POINTS = 240;
/** payment starts failing here; checkout a step later, frontend two. */
const FAULT = 180;
const faultAt = (T0 + FAULT * STEP_S) * 1000;
const now = faultAt + 5 * 60_000;

const services = ['frontend', 'checkout', 'payment', 'catalog'];
const topology = {
  services,
  edges: [
    { from: 'frontend', to: 'checkout', type: 'CALLS' as const },
    { from: 'frontend', to: 'catalog', type: 'CALLS' as const },
    { from: 'checkout', to: 'payment', type: 'CALLS' as const },
  ],
};
const failingFrom: Record<string, number> = {
  payment: FAULT,
  checkout: FAULT + 1,
  frontend: FAULT + 2,
};
const wobble = (i: number, seed: number) =>
  Math.sin(i * 1.7 + seed) * 0.5 + Math.cos(i * 0.31 + seed) * 0.5;
const errorRatio = (service: string, i: number, s: number) =>
  i >= (failingFrom[service] ?? Infinity)
    ? 0.55 - 0.1 * (failingFrom[service] - FAULT)
    : 0.01 + 0.002 * wobble(i, s);

/** The shop's metrics as prom-client serves them, in OpenMetrics with their times. */
function shopOpenMetrics(): string {
  const lines: string[] = [];
  const family = (
    name: string,
    type: 'gauge' | 'counter',
    sample: string,
    value: (service: string, i: number, s: number) => number,
    job = 'demo-shop',
    only = services,
  ) => {
    lines.push(`# HELP ${name} ${name}`, `# TYPE ${name} ${type}`);
    only.forEach((service, s) => {
      const labels = `{job="${job}",service="${service}",instance="127.0.0.1:42${s}0"}`;
      for (let i = 0; i < POINTS; i++)
        lines.push(`${sample}${labels} ${value(service, i, s)} ${T0 + i * STEP_S}`);
    });
  };
  family('http_error_ratio', 'gauge', 'http_error_ratio', errorRatio);
  family(
    'http_request_duration_p99_ms',
    'gauge',
    'http_request_duration_p99_ms',
    (_, i, s) => 40 + 4 * wobble(i, s),
  );
  // a counter: 0.2 CPU-seconds per second, so rate() gives 0.2 of a core
  family(
    'process_cpu_seconds',
    'counter',
    'process_cpu_seconds_total',
    (_, i, s) => 0.2 * STEP_S * i + 0.01 * wobble(i, s),
  );
  family(
    'process_resident_memory_bytes',
    'gauge',
    'process_resident_memory_bytes',
    (_, i, s) => 80e6 + 1e5 * wobble(i, s),
  );
  family('up', 'gauge', 'up', () => 1);
  // Another job with a `catalog` whose errors jump before anything else: RCA_PROMETHEUS_MATCHERS
  // must keep it out, or it would be the first cause.
  family(
    'batch_error_ratio',
    'gauge',
    'http_error_ratio',
    (_, i) => (i >= FAULT - 6 ? 1 : 0),
    'batch',
    ['catalog'],
  );
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/** What apps/rca says of Kafka in every result. */
const kafkaSource = { name: 'kafka', status: 'ok' as const };

const frontendAlert = {
  service: 'frontend',
  fingerprint: 'frontend-errors',
  alertname: 'HighErrorRatio',
  startsAt: faultAt + 60_000,
};

function incidentCase(series: MetricSeries[]): RcaCase {
  return {
    topology,
    series,
    alerts: [frontendAlert],
    anomalyStart: frontendAlert.startsAt - 5 * 60_000,
    end: now,
  };
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('RCA reading the real Prometheus', () => {
  let dir: string;
  let prometheus: PrometheusWithData;
  const settings = (url: string) => ({
    ...defaultPrometheusSettings(url),
    matchers: 'job="demo-shop"',
    refreshMs: 15_000,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-rca-prometheus-'));
    prometheus = await startPrometheusWithData(join(dir, 'prometheus'), shopOpenMetrics());
  });

  afterAll(async () => {
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the neighbourhood's series by the service label, every default query", async () => {
    const evidence = new PrometheusEvidence(settings(prometheus.url), 60 * 60_000);
    const read = await evidence.read('inc-1', neighbourhoodEntities([], services), now);
    expect(read.source).toEqual({ name: 'prometheus', status: 'ok' });
    const names = read.series.map((s) => `${s.service} ${s.metric}`).sort();
    expect(names).toEqual(
      services
        .flatMap((service) =>
          [
            'http_error_ratio',
            'http_request_duration_p99_ms',
            'process_cpu_ratio',
            'process_resident_memory_bytes',
            'up',
          ].map((metric) => `${service} ${metric}`),
        )
        .sort(),
    );
    const series = (service: string, metric: string) =>
      read.series.find((s) => s.service === service && s.metric === metric);
    const paymentErrors = series('payment', 'http_error_ratio');
    // the step grid over the data: from its first sample to the ranking's moment
    expect(paymentErrors?.times[0]).toBe(T0 * 1000);
    expect(paymentErrors?.times.at(-1)).toBe(now);
    expect(paymentErrors?.values[FAULT - 1]).toBeCloseTo(errorRatio('payment', FAULT - 1, 2), 9);
    expect(paymentErrors?.values[FAULT]).toBe(0.55);
    // the batch job's catalog (errors at 1) is not the shop's catalog
    expect(Math.max(...(series('catalog', 'http_error_ratio')?.values ?? [1]))).toBeLessThan(0.02);
    const cpu = series('checkout', 'process_cpu_ratio')?.values ?? [];
    // every step to the ranking's moment but the first: rate() needs two samples
    expect(cpu.length).toBe((now / 1000 - T0) / STEP_S);
    // a fifth of a core once the 30 s window lies within the data (rate() does not extrapolate
    // far past a series' first sample)
    for (const value of cpu.slice(3)) expect(value).toBeCloseTo(0.2, 2);
  });

  it('names the service that failed first, with its path to the alert, from Prometheus alone', async () => {
    const evidence = new PrometheusEvidence(settings(prometheus.url), 60 * 60_000);
    const read = await evidence.read('inc-1', neighbourhoodEntities([], services), now);
    const ranked = rankRootCauses(incidentCase(mergeMetricSeries([], read.series)));
    expect(ranked[0]).toMatchObject({
      service: 'payment',
      path: ['payment', 'checkout', 'frontend'],
    });
    expect(ranked[0].evidence.metrics[0]).toMatchObject({
      metric: 'http_error_ratio',
      direction: 'up',
    });
    const result = rcaResultSchema.parse({
      ...toRcaResult('inc-1', 0, ranked, now),
      sources: [kafkaSource, read.source],
    });
    expect(result.sources).toEqual([
      { name: 'kafka', status: 'ok' },
      { name: 'prometheus', status: 'ok' },
    ]);
  });

  it('ranks on what Kafka holds when Prometheus is unreachable, and says Prometheus was missing', async () => {
    const url = await closedPortUrl();
    const evidence = new PrometheusEvidence(settings(url), 60 * 60_000);
    const read = await evidence.read('inc-2', neighbourhoodEntities([], services), now);
    expect(read.series).toEqual([]);
    expect(read.source).toEqual({
      name: 'prometheus',
      status: 'missing',
      detail: `${url}: connect ECONNREFUSED ${url.slice('http://'.length)}`,
    });
    // what apps/rca kept from vigil.metrics.v1: the error ratios, the same fault
    const streamed = services.map((service, s) => {
      const times = Array.from({ length: POINTS }, (_, i) => (T0 + i * STEP_S) * 1000);
      return {
        service,
        metric: 'http_error_ratio',
        times,
        values: times.map((_, i) => errorRatio(service, i, s)),
      };
    });
    const ranked = rankRootCauses(incidentCase(mergeMetricSeries(streamed, read.series)));
    expect(ranked[0]).toMatchObject({ service: 'payment' });
    const result = rcaResultSchema.parse({
      ...toRcaResult('inc-2', 0, ranked, now),
      sources: [kafkaSource, read.source],
    });
    expect(result.sources?.find((s) => s.name === 'prometheus')?.status).toBe('missing');
  });

  it('vigil rca --prometheus ranks the topology from Prometheus', async () => {
    const topologyFile = join(dir, 'topology.json');
    writeFileSync(topologyFile, JSON.stringify(topology));
    const previous = process.env.RCA_PROMETHEUS_MATCHERS;
    process.env.RCA_PROMETHEUS_MATCHERS = 'job="demo-shop"';
    try {
      const out = await vigil(
        'rca',
        '--prometheus',
        prometheus.url,
        '--topology',
        topologyFile,
        '--anomaly-start',
        new Date(incidentCase([]).anomalyStart).toISOString(),
        '--end',
        new Date(now).toISOString(),
      );
      expect(out).toMatch(/^\s+1\s+payment\s/m);
      expect(out).toContain('why payment: payment ──▶ checkout ──▶ frontend');
    } finally {
      if (previous === undefined) delete process.env.RCA_PROMETHEUS_MATCHERS;
      else process.env.RCA_PROMETHEUS_MATCHERS = previous;
    }
  });
});
