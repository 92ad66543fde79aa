import type { MetricSeries } from '../rca-case';
import { scoreMetric } from './metric-change-scorer';
import { seededRandom } from './testing/seeded-random';

const T0 = 1_700_000_000_000;
const STEP = 1000;

/** 200 points of N(100, 2) noise, with `shape(i)` added; time of point i is T0 + i s. */
function series(shape: (i: number) => number, seed = 1, points = 200): MetricSeries {
  const { gaussian } = seededRandom(seed);
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < points; i++) {
    times.push(T0 + i * STEP);
    values.push(100 + 2 * gaussian() + shape(i));
  }
  return { service: 'db', metric: 'latency', times, values };
}

const at = (index: number): number => T0 + index * STEP;

describe('scoreMetric', () => {
  it('scores a step up at the anomaly start high, upwards, with the onset at the step', () => {
    const evidence = scoreMetric(
      series((i) => (i >= 120 ? 30 : 0)),
      at(120),
    );
    expect(evidence).toMatchObject({ metric: 'latency', direction: 'up' });
    expect(evidence?.score).toBeGreaterThan(8);
    expect(evidence?.onset).toBe(at(120));
  });

  it('reports a drop as down', () => {
    const evidence = scoreMetric(
      series((i) => (i >= 120 ? -40 : 0)),
      at(120),
    );
    expect(evidence?.direction).toBe('down');
    expect(evidence?.score).toBeGreaterThan(8);
  });

  it('finds an onset that began before a late anomaly start', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const evidence = scoreMetric(
        series((i) => (i >= 112 ? 20 : 0), seed),
        at(130),
      );
      expect(Math.abs((evidence?.onset ?? 0) - at(112))).toBeLessThanOrEqual(STEP);
    }
  });

  it('finds an onset after an early anomaly start', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const evidence = scoreMetric(
        series((i) => (i >= 140 ? 20 : 0), seed),
        at(130),
      );
      expect(Math.abs((evidence?.onset ?? 0) - at(140))).toBeLessThanOrEqual(STEP);
    }
  });

  it('puts the onset of a ramp near where the ramp leaves the noise, not mid-ramp', () => {
    const evidence = scoreMetric(
      series((i) => (i >= 120 ? (i - 120) * 2 : 0)),
      at(120),
    );
    expect(evidence?.direction).toBe('up');
    expect(evidence?.onset).toBeGreaterThanOrEqual(at(118));
    expect(evidence?.onset).toBeLessThanOrEqual(at(126));
  });

  it('dates a short transient by its start, not by its recovery', () => {
    const evidence = scoreMetric(
      series((i) => (i >= 135 && i < 140 ? 40 : 0)),
      at(120),
    );
    expect(evidence?.onset).toBe(at(135));
    expect(evidence?.score).toBeGreaterThan(8);
  });

  it('keeps noise without a change below the usual anomaly threshold', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      expect(
        scoreMetric(
          series(() => 0, seed),
          at(120),
        )?.score,
      ).toBeLessThan(3);
    }
  });

  it('ranks a bigger shift above a smaller one', () => {
    const small = scoreMetric(
      series((i) => (i >= 120 ? 10 : 0)),
      at(120),
    );
    const big = scoreMetric(
      series((i) => (i >= 120 ? 40 : 0)),
      at(120),
    );
    expect(big?.score).toBeGreaterThan(small?.score ?? Infinity);
  });

  it('does not let a flat series explode on a tiny change', () => {
    const flat = (level: number, after: number): MetricSeries => ({
      service: 'db',
      metric: 'memory',
      times: Array.from({ length: 100 }, (_, i) => at(i)),
      values: Array.from({ length: 100 }, (_, i) => (i >= 60 ? after : level)),
    });
    expect(scoreMetric(flat(100, 100.5), at(60))?.score).toBeLessThanOrEqual(1);
    const fromZero = scoreMetric(flat(0, 0.05), at(60));
    expect(fromZero?.score).toBeGreaterThan(10);
    expect(fromZero?.score).toBeLessThanOrEqual(200);
    expect(scoreMetric(flat(5, 5), at(60))?.score).toBe(0);
  });

  it('reads a step of a series that never moved against its flatScaleFloor share of its level', () => {
    // a p99 from a histogram: at the 5 ms bucket bound for an hour, then at the 10 ms one
    const bucketStep: MetricSeries = {
      service: 'payment',
      metric: 'pod_server_latency_p99',
      times: Array.from({ length: 100 }, (_, i) => at(i)),
      values: Array.from({ length: 100 }, (_, i) => (i >= 60 ? 0.00985 : 0.00496)),
    };
    expect(scoreMetric(bucketStep, at(60))?.score).toBeGreaterThan(40);
    const floored = scoreMetric(bucketStep, at(60), undefined, { flatScaleFloor: 0.5 });
    expect(floored?.score).toBeGreaterThan(1.5);
    expect(floored?.score).toBeLessThan(3);
    // a series that moves in its normal window keeps the scale its moves give
    const noisy = series((i) => (i >= 120 ? 30 : 0));
    expect(scoreMetric(noisy, at(120), undefined, { flatScaleFloor: 0.5 })?.score).toBe(
      scoreMetric(noisy, at(120))?.score,
    );
  });

  it('scales a mostly-zero series by its usual blips', () => {
    const blips = (after: (i: number) => number): MetricSeries => ({
      service: 'db',
      metric: 'error_rate',
      times: Array.from({ length: 100 }, (_, i) => at(i)),
      values: Array.from({ length: 100 }, (_, i) => (i >= 60 ? after(i) : i % 5 === 0 ? 0.02 : 0)),
    });
    const same = scoreMetric(
      blips((i) => (i % 5 === 0 ? 0.02 : 0)),
      at(60),
    );
    const jump = scoreMetric(
      blips(() => 0.2),
      at(60),
    );
    expect(same?.score).toBeLessThan(3);
    expect(jump?.score).toBeGreaterThan(10);
    expect(jump?.onset).toBe(at(60));
  });

  it('is not blinded by a spike in the normal period', () => {
    const evidence = scoreMetric(
      series((i) => (i === 50 ? 1000 : i >= 120 ? 15 : 0)),
      at(120),
    );
    expect(evidence?.score).toBeGreaterThan(4);
    expect(evidence?.onset).toBe(at(120));
  });

  it('reads a change of a thousand times the level past spikes that were a few times it', () => {
    // a link waited on for 4 ms, now and then 15 ms (a spike a few times the level), then 5 s
    const values = Array.from({ length: 40 }, (_, i) =>
      i >= 30 ? 5000 : i % 7 === 3 ? 15 : 4 + (i % 3) * 0.3,
    );
    const times = values.map((_, i) => at(i * 10));
    const wait = scoreMetric({ service: 'auth', metric: 'link_wait', times, values }, at(300));
    // the same spikes beside a change of twice the level: they do say the series is noisy
    const doubled = values.map((v, i) => (i >= 30 ? 8 : v));
    const small = scoreMetric(
      { service: 'auth', metric: 'link_wait', times, values: doubled },
      at(300),
    );
    expect(wait?.score).toBeGreaterThan(50);
    expect(small?.score).toBeLessThan(2);
  });

  it('ignores points after the end and non-finite values', () => {
    const base = series((i) => (i >= 180 ? 500 : 0));
    base.values[125] = Number.NaN;
    const evidence = scoreMetric(base, at(120), at(170));
    expect(evidence?.score).toBeLessThan(3);
  });

  it('returns undefined when there is too little data', () => {
    const short = series((i) => (i >= 1 ? 30 : 0), 1, 10);
    expect(scoreMetric(short, at(1))).toBeUndefined();
    expect(scoreMetric(short, at(20))).toBeUndefined();
    expect(
      scoreMetric({ service: 'db', metric: 'cpu', times: [], values: [] }, at(0)),
    ).toBeUndefined();
  });

  it('scores a handful of normal points only against a change of several times their level', () => {
    // three calls on a link before a short trace window: 30% more is nothing, 600 times is a fault
    const few = (after: number): MetricSeries => ({
      service: 'db',
      metric: 'latency',
      times: [0, 1, 2, 3, 4, 5].map(at),
      values: [3.0, 3.2, 3.1, after, after, after],
    });
    expect(scoreMetric(few(4), at(3))?.score).toBeLessThan(1);
    expect(scoreMetric(few(2000), at(3))?.score).toBeGreaterThan(50);
  });

  it('scores a change from the current level when an earlier incident fills part of the normal window', () => {
    // CPU at 25% with an incident at 95% for a third of the window, then 99% from the anomaly on
    const cpu = series((i) => (i >= 40 && i < 60 ? 70 : i >= 120 ? 74 : 0) - 75);
    cpu.values = cpu.values.map((v) => v + 0);
    const evidence = scoreMetric(cpu, at(120), at(170));
    expect(evidence?.direction).toBe('up');
    expect(evidence?.score).toBeGreaterThan(8);
  });

  it('scores a change from the level that came back after an earlier, larger episode', () => {
    // a link's wait at 100 ms, 2 s for half the window (the same fault earlier), 100 ms again for
    // the last twenty points, then 400 ms: less than the earlier episode, far above the level now
    const wait = series((i) => (i >= 40 && i < 100 ? 1900 : i >= 120 ? 300 : 0));
    const evidence = scoreMetric(wait, at(120), at(170));
    expect(evidence?.direction).toBe('up');
    expect(evidence?.score).toBeGreaterThan(8);
  });

  it('reads a series going back to the level it held before an episode still under way as no change', () => {
    // a service's calls per request at 100 for most of the window, at 40 for the last thirty
    // points (an earlier fault that had not ended), and 100 again from the anomaly on: recovering
    const calls = series((i) => (i >= 90 && i < 120 ? -60 : 0));
    expect(scoreMetric(calls, at(120), at(170))?.score ?? 0).toBeLessThan(3);
  });

  it('still reads a series leaving an episode under way for a new level as a change', () => {
    const calls = series((i) => (i >= 90 && i < 120 ? -60 : i >= 120 ? 60 : 0));
    const evidence = scoreMetric(calls, at(120), at(170));
    expect(evidence?.direction).toBe('up');
    expect(evidence?.score).toBeGreaterThan(8);
  });

  it('does not take a spike back toward the earlier level for a recovery', () => {
    // the episode's level holds after the anomaly start but for two points: nothing recovered,
    // and the spikes are scored as what they are against the level now
    const calls = series((i) => (i >= 90 && !(i === 130 || i === 131) ? -60 : 0));
    const evidence = scoreMetric(calls, at(120), at(170));
    expect(evidence?.direction).toBe('up');
    expect(evidence?.score).toBeGreaterThan(8);
  });

  it('dates a shift at the shift, not across a long gap in the recording before it', () => {
    // a link recorded in snippets: a few minutes around an earlier incident with a spike or two,
    // twenty minutes of nothing, then two points before the anomaly start and a thousandfold wait
    const wait: MetricSeries = {
      service: 'auth',
      metric: 'trace_link_wait_p90',
      times: [],
      values: [],
    };
    const snippet = [4, 4, 18, 3.4, 3.7, 3.1, 3.6, 3.4, 16, 4, 4, 14, 3.2];
    snippet.forEach((v, i) => {
      wait.times.push(T0 + i * 10_000);
      wait.values.push(v);
    });
    const start = T0 + 22 * 60_000;
    for (const [dt, v] of [
      [-30, 4.4],
      [-15, 3.9],
      [5, 5000],
      [70, 2000],
      [75, 4900],
      [95, 2000],
    ]) {
      wait.times.push(start + dt * 1000);
      wait.values.push(v);
    }
    const evidence = scoreMetric(wait, start);
    expect(evidence?.score).toBeGreaterThan(50);
    expect(evidence?.onset).toBeGreaterThanOrEqual(start - 60_000);
  });
});
