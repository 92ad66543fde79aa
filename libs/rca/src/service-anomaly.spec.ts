import type { LogEvidence, RcaCase } from './rca-case';
import { serviceAnomalies } from './service-anomaly';

const T0 = Date.parse('2026-12-02T10:00:00Z');

function caseWithLog(template: string): RcaCase {
  const log: LogEvidence = {
    service: 'travel',
    templateId: 't1',
    template,
    pattern: 'new-template',
    score: 12,
    onset: T0 + 30_000,
  };
  return {
    topology: { services: ['travel'], edges: [] },
    series: [],
    logs: [log],
    anomalyStart: T0,
  };
}

describe('serviceAnomalies: log evidence', () => {
  it('reads a never-seen error line as the service failing, not only as new code', () => {
    const travel = serviceAnomalies(
      caseWithLog('<*> ERROR dispatcherServlet threw exception [Request processing failed]'),
    ).get('travel');
    expect(travel?.novel).toBeGreaterThan(0.5);
    expect(travel?.failing).toBeGreaterThan(0.5);
  });

  it('counts a never-seen error line once as a sign of trouble, not as new code and failing both', () => {
    const travel = serviceAnomalies(
      caseWithLog('<*> ERROR dispatcherServlet threw exception [Request processing failed]'),
    ).get('travel');
    expect(travel?.cause).toBeCloseTo(travel?.failing ?? -1, 6);
  });

  it('reads a never-seen info line as new code only', () => {
    const travel = serviceAnomalies(caseWithLog('<*> INFO route <*> loaded')).get('travel');
    expect(travel?.novel).toBeGreaterThan(0.5);
    expect(travel?.failing).toBe(0);
  });
});

/** One point a minute for 30 min, `after(i)` from the anomaly start on (i counts minutes from it). */
function minutely(service: string, metric: string, after: (i: number) => number | undefined) {
  const times: number[] = [];
  const values: number[] = [];
  for (let i = -30; i < 5; i++) {
    const value = i < 0 ? 10 + (i % 3) * 0.5 : after(i);
    if (value === undefined) continue;
    times.push(T0 + i * 60_000);
    values.push(value);
  }
  return { service, metric, times, values };
}

function caseOf(series: RcaCase['series'], logs: LogEvidence[] = []): RcaCase {
  const services = [...new Set([...series.map((s) => s.service), ...logs.map((l) => l.service)])];
  return {
    topology: { services, edges: [] },
    series,
    logs,
    anomalyStart: T0,
    end: T0 + 5 * 60_000,
  };
}

describe('serviceAnomalies: what a change says about the service', () => {
  it('reads longer waits on its own calls as a symptom, not a cause of its own', () => {
    const caller = serviceAnomalies(
      caseOf([minutely('cart', 'pod_client_latency_p90', () => 200)]),
    ).get('cart');
    expect(caller?.waiting).toBeGreaterThan(0.9);
    expect(caller?.slow).toBe(0);
    expect(caller?.cause).toBe(0);
  });

  it('reads a p99 that rose alone as a few slow requests, and a p90 that rose as the service slowing', () => {
    const steady = () => undefined;
    const series = (
      p90: (i: number) => number | undefined,
      p99: (i: number) => number | undefined,
    ) => [
      minutely('cart', 'pod_server_latency_p90', (i) => p90(i) ?? 10 + (i % 3) * 0.5),
      minutely('cart', 'pod_server_latency_p99', (i) => p99(i) ?? 10 + (i % 3) * 0.5),
    ];
    const tailOnly = serviceAnomalies(caseOf(series(steady, () => 200))).get('cart');
    expect(tailOnly?.anomaly).toBeGreaterThan(0.9);
    expect(tailOnly?.slow).toBe(0);
    const bulk = serviceAnomalies(caseOf(series(() => 200, steady))).get('cart');
    expect(bulk?.slow).toBeGreaterThan(0.9);
    // with no quantile below it to say otherwise, the p99 is the service's latency
    const alone = serviceAnomalies(caseOf([minutely('cart', 'latency_p99', () => 200)])).get(
      'cart',
    );
    expect(alone?.slow).toBeGreaterThan(0.9);
  });

  it('does not blame a service for its host figures', () => {
    const resident = serviceAnomalies(
      caseOf([minutely('cart', 'node_cpu_usage_rate', () => 90)]),
    ).get('cart');
    expect(resident?.anomaly).toBeGreaterThan(0.9);
    expect(resident?.resource).toBe(0);
  });

  it('does not read a series that stopped for every service (a recording that ended) as services gone', () => {
    const stopped = (service: string) =>
      minutely(service, 'trace_request_count', (i) => (i < 1 ? 10 : undefined));
    const anomalies = serviceAnomalies(caseOf([stopped('cart'), stopped('email')]));
    expect(anomalies.get('cart')?.down).toBe(0);
    // while the others keep reporting, the one that stopped is gone
    const alone = serviceAnomalies(
      caseOf([stopped('cart'), minutely('email', 'trace_request_count', () => 10)]),
    );
    expect(alone.get('cart')?.down).toBeGreaterThan(0.5);
  });

  it('reads every moving series of a service repeating its last value to the digit as the service gone', () => {
    const last = 9.5; // what minutely() reported just before the anomaly start
    const frozen = (metric: string) => minutely('cart', metric, () => last);
    const moving = (metric: string) => minutely('email', metric, (i) => 10 + (i % 3) * 0.5);
    const anomalies = serviceAnomalies(
      caseOf([
        frozen('container_cpu_usage'),
        frozen('container_memory_usage'),
        frozen('latency_p99'),
        // flat before and after: an error rate of zero says nothing either way
        { ...frozen('error_rate'), values: frozen('error_rate').values.map(() => 0) },
        moving('container_cpu_usage'),
        moving('container_memory_usage'),
      ]),
    );
    expect(anomalies.get('cart')?.down).toBeGreaterThan(0.9);
    expect(anomalies.get('email')?.down).toBe(0);
  });

  it('does not read one series that went flat, beside others that move, as the service gone', () => {
    const anomalies = serviceAnomalies(
      caseOf([
        minutely('cart', 'container_cpu_usage', () => 9.5),
        minutely('cart', 'container_memory_usage', (i) => 10 + (i % 3) * 0.5),
        minutely('cart', 'latency_p99', (i) => 10 + (i % 2) * 0.5),
      ]),
    );
    expect(anomalies.get('cart')?.down).toBe(0);
  });

  it('weighs an error line that several services print at once less than one only the root prints', () => {
    const line = (service: string, template: string): LogEvidence => ({
      service,
      templateId: `${service}-t`,
      template,
      pattern: 'new-template',
      score: 12,
      onset: T0 + 30_000,
    });
    const shared = '<*> ERROR dispatcherServlet threw exception [No instances available for <*>]';
    const anomalies = serviceAnomalies(
      caseOf(
        [],
        [
          line('travel', shared),
          line('order', shared),
          line('seat', shared),
          line('price', '<*> ERROR PriceController query failed for route <*>'),
        ],
      ),
    );
    expect(anomalies.get('price')?.failing).toBeGreaterThan(0.5);
    expect(anomalies.get('travel')?.failing).toBeLessThan(
      0.5 * (anomalies.get('price')?.failing ?? 0),
    );
  });

  it('leaves out a latency change that began long before the anomalous period', () => {
    const early = minutely('cart', 'pod_server_latency_p90', () => 200);
    // the same step, begun four minutes before the anomaly start
    early.values = early.values.map((v, i) => (early.times[i] >= T0 - 4 * 60_000 ? 200 : v));
    expect(serviceAnomalies(caseOf([early])).get('cart')?.slow).toBe(0);
    const now = minutely('cart', 'pod_server_latency_p90', () => 200);
    expect(serviceAnomalies(caseOf([now])).get('cart')?.slow).toBeGreaterThan(0.9);
  });

  it('takes a latency change begun two minutes before the anomalous period for an earlier one too', () => {
    // a bystander's drift that was under way before the fault elsewhere began
    const drift = minutely('cart', 'pod_server_latency_p90', () => 200);
    drift.values = drift.values.map((v, i) => (drift.times[i] >= T0 - 2 * 60_000 ? 200 : v));
    expect(serviceAnomalies(caseOf([drift])).get('cart')?.slow).toBe(0);
  });
});

/** A windowed share every 10 s for 30 min: 0 before the anomaly start, `after` for 40 s from 50 s on. */
function pathNovelty(after: number): RcaCase {
  const times: number[] = [];
  const values: number[] = [];
  for (let t = T0 - 30 * 60_000; t <= T0 + 120_000; t += 10_000) {
    times.push(t);
    values.push(t >= T0 + 50_000 && t < T0 + 90_000 ? after : 0);
  }
  return {
    topology: { services: ['travel'], edges: [] },
    series: [{ service: 'travel', metric: 'log_path_novelty', times, values, windowMs: 60_000 }],
    anomalyStart: T0,
    end: T0 + 120_000,
  };
}

describe('serviceAnomalies: latency read from histogram buckets', () => {
  /** A p99 at a bucket bound for 30 minutes, then `after` for five. */
  const bucketed = (service: string, metric: string, after: number) => ({
    service,
    metric,
    times: Array.from({ length: 35 }, (_, i) => T0 + (i - 30) * 60_000),
    values: Array.from({ length: 35 }, (_, i) => (i >= 30 ? after : 0.005)),
  });

  /** How slow payment reads when its p99 moves from the 5 ms bound to `after`. */
  const paymentSlow = (after: number) =>
    serviceAnomalies(caseOf([bucketed('payment', 'pod_server_latency_p99', after)])).get('payment')
      ?.slow;

  it('does not take a step to the next bucket bound for a slowdown', () => {
    expect(paymentSlow(0.01)).toBe(0);
  });

  it('still reads a step of several buckets as a slowdown', () => {
    expect(paymentSlow(0.05)).toBeGreaterThan(0.9);
  });

  it('keeps the fine floor for waits on call links, which network faults move', () => {
    const link = serviceAnomalies(
      caseOf([bucketed('cart', 'trace_link_wait_p90{peer=checkout}', 0.01)]),
    ).get('cart');
    expect(link?.link).toBeGreaterThan(0);
  });
});

describe('serviceAnomalies: behaviour', () => {
  it('counts most requests taking paths never seen for 40 s of one-minute windows as a change of behaviour', () => {
    const travel = serviceAnomalies(pathNovelty(0.7)).get('travel');
    expect(travel?.behaviour).toBeGreaterThan(0.5);
    // behaviour is not new code: it does not count as a never-seen statement
    expect(travel?.novel).toBe(0);
    expect(travel?.cause).toBeGreaterThan(0.5);
  });

  it('does not count a new path or two in a window (a few points of a share) however quiet before', () => {
    expect(serviceAnomalies(pathNovelty(0.1)).get('travel')?.behaviour).toBe(0);
  });

  it('does not read a mix that went back to its usual ways as a change of behaviour', () => {
    // new paths for the whole recorded past (an earlier fault), none since the anomaly start
    const calmer = pathNovelty(0);
    calmer.series[0].values = calmer.series[0].times.map((t) => (t < T0 ? 0.7 : 0));
    const travel = serviceAnomalies(calmer).get('travel');
    expect(travel?.behaviour).toBe(0);
    expect(travel?.cause).toBe(0);
  });

  it('still reads fewer calls out per request (work cut short) as a change of behaviour', () => {
    const cut = minutely('travel', 'trace_calls_out_per_request', () => 2);
    expect(serviceAnomalies(caseOf([cut])).get('travel')?.behaviour).toBeGreaterThan(0.5);
  });
});

describe('serviceAnomalies: slowed call links', () => {
  /**
   * A link's wait as both ends report it: slowed 100-fold from the anomaly start when `slow`, or
   * to the wait given.
   */
  const link = (a: string, b: string, slow: boolean | number) =>
    [
      [a, b],
      [b, a],
    ].map(([self, peer]) =>
      minutely(self, `trace_link_wait_p90{peer=${peer}}`, () =>
        typeof slow === 'number' ? slow : slow ? 1000 : 10,
      ),
    );

  it('is sure of a service two of whose links slowed while their peers saw nothing else slow, though its third stayed fast', () => {
    // food answers its two callers late; its own call to the database is as fast as ever
    const anomalies = serviceAnomalies(
      caseOf([
        ...link('gateway', 'food', true),
        ...link('preserve', 'food', true),
        ...link('food', 'food-db', false),
        ...link('gateway', 'travel', false),
        ...link('gateway', 'route', false),
      ]),
    );
    expect(anomalies.get('food')?.link).toBeGreaterThan(0.9);
    expect(anomalies.get('gateway')?.link).toBeLessThan(0.1);
    expect(anomalies.get('preserve')?.link).toBeLessThan(0.1);
  });

  it('gives a slowed link whose ends have no other slowed link mostly to the end with no other link at all', () => {
    // auth's other call is as fast as ever: the delay is on the code service's side
    const anomalies = serviceAnomalies(
      caseOf([...link('auth', 'code', true), ...link('auth', 'gateway', false)]),
    );
    const code = anomalies.get('code')?.link ?? 0;
    const auth = anomalies.get('auth')?.link ?? 0;
    // a delay at auth's end would have shown on its other link as well
    expect(code).toBeGreaterThan(3 * auth);
    expect(auth).toBeGreaterThan(0);
  });

  it('lets a link that stayed fast rule its end out less when the slowdown is faint', () => {
    const split = (wait: number) => {
      const anomalies = serviceAnomalies(
        caseOf([...link('auth', 'code', wait), ...link('auth', 'gateway', false)]),
      );
      const code = anomalies.get('code')?.link ?? 0;
      const auth = anomalies.get('auth')?.link ?? 0;
      return { code, auth };
    };
    const faint = split(14);
    expect(faint.auth).toBeGreaterThan(0);
    const large = split(1000);
    // a slowdown a hundred times the usual tilts the link far more to the end with no other link
    expect(large.code / large.auth).toBeGreaterThan(1.5 * (faint.code / faint.auth));
  });
});
