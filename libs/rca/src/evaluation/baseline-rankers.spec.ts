import type { MetricSeries, RcaCase } from '../rca-case';
import { anomalyScoreRanker, baroRanker, pageRankRanker, randomRanker } from './baseline-rankers';

const STEP = 10_000;
const START = 1_700_000_000_000;
const N = 60;
const INJECT = START + 40 * STEP;

/** A wiggly flat series with `shift` added from the injection on. */
function series(service: string, metric: string, level: number, shift = 0): MetricSeries {
  const times = Array.from({ length: N }, (_, i) => START + i * STEP);
  const values = times.map(
    (t, i) => level + ((i * 7) % 5) * 0.01 * level + (t >= INJECT ? shift : 0),
  );
  return { service, metric, times, values };
}

function makeCase(extra: MetricSeries[] = []): RcaCase {
  return {
    topology: {
      services: ['frontend', 'checkout', 'payment', 'db'],
      edges: [
        { from: 'frontend', to: 'checkout', type: 'CALLS' },
        { from: 'checkout', to: 'payment', type: 'CALLS' },
        { from: 'payment', to: 'db', type: 'DEPENDS_ON' },
        { from: 'payment', to: 'node-1', type: 'RUNS_ON' },
      ],
    },
    series: [
      series('frontend', 'latency', 100, 30),
      series('checkout', 'latency', 80, 30),
      series('payment', 'cpu', 0.5, 0.1),
      series('db', 'memory', 500, -400),
      ...extra,
    ],
    anomalyStart: INJECT,
  };
}

const services = (ranked: ReturnType<typeof baroRanker>) => ranked.map((r) => r.service);

describe('randomRanker', () => {
  it('ranks every service once, deterministically, differently for another seed', () => {
    const a = services(randomRanker('s1')(makeCase()));
    expect([...a].sort()).toEqual(['checkout', 'db', 'frontend', 'payment']);
    expect(services(randomRanker('s1')(makeCase()))).toEqual(a);
    const others = ['s2', 's3', 's4', 's5', 's6'].map((s) => services(randomRanker(s)(makeCase())));
    expect(others.some((o) => o.join() !== a.join())).toBe(true);
  });
});

describe('anomalyScoreRanker', () => {
  it('ranks by the largest two-sided metric score, drops included', () => {
    const ranked = anomalyScoreRanker(makeCase());
    // db's memory fell by 80%: the largest change for its scale
    expect(ranked[0].service).toBe('db');
    expect(ranked[0].evidence.metrics[0]).toMatchObject({ metric: 'memory', direction: 'down' });
    expect(ranked[0].evidence.onset).toBeGreaterThanOrEqual(INJECT);
  });
});

describe('baroRanker', () => {
  it('counts rises only, as BARO takes the max of the scaled values', () => {
    const ranked = baroRanker(makeCase());
    // checkout's latency rose most in IQR units; db's memory fell further, which BARO ignores
    expect(ranked[0].service).toBe('checkout');
    expect(ranked.map((r) => r.service)).toContain('db');
    expect(ranked.find((r) => r.service === 'db')?.score).toBeLessThan(0);
  });

  it('leaves out metrics that are constant in a period, and ignores data after `end`', () => {
    const flat = series('frontend', 'error_rate', 0);
    const input = { ...makeCase([flat]), end: INJECT + 5 * STEP };
    const frontend = baroRanker(input).find((r) => r.service === 'frontend');
    expect(frontend?.evidence.metrics.map((m) => m.metric)).toEqual(['latency']);
  });

  it('gives a service whose anomalous data is missing the lowest score', () => {
    const input = makeCase();
    input.series = input.series.map((s) =>
      s.service === 'payment'
        ? { ...s, times: s.times.slice(0, 40), values: s.values.slice(0, 40) }
        : s,
    );
    const ranked = baroRanker(input);
    expect(ranked.find((r) => r.service === 'payment')?.score).toBe(0);
  });
});

describe('pageRankRanker', () => {
  it('walks toward callees: the deepest dependency ranks first, the entry last', () => {
    const ranked = services(pageRankRanker()(makeCase()));
    expect(ranked[0]).toBe('db');
    expect(ranked[ranked.length - 1]).toBe('frontend');
    expect(ranked).not.toContain('node-1');
  });

  it('ignores the metrics entirely', () => {
    const a = services(pageRankRanker()(makeCase()));
    const b = services(pageRankRanker()({ ...makeCase(), series: [] }));
    expect(b).toEqual(a);
  });
});
