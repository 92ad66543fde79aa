import type { Condition, LabelMatcher, RangeExpr } from './alert-rule';
import { compileCondition, compileValue, type GroupValues } from './condition-evaluation';
import { SeriesStore } from './series-store';
import { metricBatch, type SampleSpec, t0, type Target } from './testing/metric-batches';

function storeWith(...batches: [Target, number, SampleSpec[]][]): SeriesStore {
  const store = new SeriesStore({
    retentionMs: 600_000,
    maxSamplesPerSeries: 1_000,
    maxSeries: 1_000,
    forgetAfterMs: 3_600_000,
  });
  for (const [target, at, samples] of batches) store.ingest(metricBatch(target, at, samples));
  return store;
}

const context = (store: SeriesStore, nowMs: number, startedAtMs = t0) => ({
  seriesOf: (metric: string) => store.seriesOf(metric),
  nowMs,
  startedAtMs,
});

/** Group values as `{ "service/instance": value }`, easy to compare. */
function byTarget(values: GroupValues): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { labels, value } of values.values())
    out[[labels.service, labels.instance].filter(Boolean).join('/')] = value;
  return out;
}

const requests = (matchers: LabelMatcher[] = [], windowMs = 60_000): RangeExpr => ({
  kind: 'range',
  fn: 'rate',
  select: { metric: 'http_requests_total', matchers },
  windowMs,
});
const status5xx: LabelMatcher = { label: 'status', op: '=', value: '5xx' };
const a = { service: 'cart', instance: 'cart-1' };
const b = { service: 'cart', instance: 'cart-2' };

/** A counter by status, sampled every 10 s from t0: `perStatus[status][i]` is the i-th value. */
function counterSeries(target: Target, perStatus: Record<string, number[]>) {
  const batches: [Target, number, SampleSpec[]][] = [];
  const length = Math.max(...Object.values(perStatus).map((v) => v.length));
  for (let i = 0; i < length; i++) {
    const samples: SampleSpec[] = Object.entries(perStatus)
      .filter(([, values]) => i < values.length)
      .map(([status, values]) => ['http_requests_total', values[i], { status }]);
    batches.push([target, t0 + i * 10_000, samples]);
  }
  return batches;
}

describe('range expressions', () => {
  it('rates a counter per second and reads a drop as a restart, not a negative rate', () => {
    // 0 → 100 → 200, restart, 50 → 150: increase 100 + 100 + 50 + 100 = 350 in 40 s.
    const store = storeWith(...counterSeries(a, { '2xx': [0, 100, 200, 50, 150] }));
    expect(byTarget(compileValue(requests())(context(store, t0 + 40_000)))).toEqual({
      'cart/cart-1': 350 / 40,
    });
  });

  it('adds up the series of one target (requests by status) and keeps targets apart', () => {
    const store = storeWith(
      ...counterSeries(a, { '2xx': [0, 100], '5xx': [0, 20] }),
      ...counterSeries(b, { '2xx': [0, 50] }),
    );
    expect(byTarget(compileValue(requests())(context(store, t0 + 10_000)))).toEqual({
      'cart/cart-1': 12,
      'cart/cart-2': 5,
    });
  });

  it('gives no rate from a single sample: a counter needs two points', () => {
    const store = storeWith([a, t0, [['http_requests_total', 10, { status: '2xx' }]]]);
    expect(compileValue(requests())(context(store, t0)).size).toBe(0);
  });

  it('reads only the window (from, now]', () => {
    const store = storeWith([a, t0, [['cpu', 0.9]]], [a, t0 + 30_000, [['cpu', 0.1]]]);
    const avg = (windowMs: number) =>
      byTarget(
        compileValue({ kind: 'range', fn: 'avg', select: { metric: 'cpu' }, windowMs })(
          context(store, t0 + 30_000),
        ),
      );
    expect(avg(30_000)).toEqual({ 'cart/cart-1': 0.1 });
    expect(avg(30_001)).toEqual({ 'cart/cart-1': 0.5 });
  });

  it('groups by the labels asked for: by service adds up the instances', () => {
    const store = storeWith(
      ...counterSeries(a, { '2xx': [0, 100] }),
      ...counterSeries(b, { '2xx': [0, 50] }),
    );
    const value = compileValue({ ...requests(), by: ['service'] })(context(store, t0 + 10_000));
    expect([...value.values()]).toEqual([{ labels: { service: 'cart' }, value: 15 }]);
  });

  it('takes the worst series of a gauge by default (p99 by route)', () => {
    const store = storeWith([
      a,
      t0,
      [
        ['p99', 120, { route: '/cart' }],
        ['p99', 740, { route: '/cart/checkout' }],
      ],
    ]);
    const value = compileValue({
      kind: 'range',
      fn: 'last',
      select: { metric: 'p99' },
      windowMs: 1,
    });
    expect(byTarget(value(context(store, t0)))).toEqual({ 'cart/cart-1': 740 });
  });
});

describe('label matchers', () => {
  const store = storeWith([
    a,
    t0,
    [
      ['m', 1, { status: '500' }],
      ['m', 2, { status: '1500' }],
      ['m', 4, { status: '200' }],
      ['m', 8, {}],
    ],
  ]);
  const sumWhere = (matchers: LabelMatcher[]) =>
    byTarget(
      compileValue({
        kind: 'range',
        fn: 'last',
        select: { metric: 'm', matchers },
        windowMs: 1,
        combine: 'sum',
      })(context(store, t0)),
    )['cart/cart-1'];

  it('matches equal and not-equal, a missing label reading as ""', () => {
    expect(sumWhere([{ label: 'status', op: '=', value: '500' }])).toBe(1);
    expect(sumWhere([{ label: 'status', op: '!=', value: '500' }])).toBe(2 + 4 + 8);
    expect(sumWhere([{ label: 'status', op: '=', value: '' }])).toBe(8);
  });

  it('anchors regexes as Prometheus does', () => {
    expect(sumWhere([{ label: 'status', op: '=~', value: '5..' }])).toBe(1);
    expect(sumWhere([{ label: 'status', op: '!~', value: '5..|' }])).toBe(2 + 4);
  });

  it('matches the batch service and instance, and narrows to one service', () => {
    const both = storeWith([a, t0, [['m', 1]]], [{ service: 'web' }, t0, [['m', 2]]]);
    const select = (selector: { service?: string; matchers?: LabelMatcher[] }) =>
      byTarget(
        compileValue({
          kind: 'range',
          fn: 'last',
          select: { metric: 'm', ...selector },
          windowMs: 1,
        })(context(both, t0)),
      );
    expect(select({ service: 'web' })).toEqual({ web: 2 });
    expect(select({ matchers: [{ label: 'instance', op: '=~', value: 'cart-.*' }] })).toEqual({
      'cart/cart-1': 1,
    });
  });
});

describe('ratios', () => {
  const errorRatio = (minDenominator?: number): Condition => ({
    kind: 'threshold',
    value: {
      kind: 'ratio',
      numerator: requests([status5xx]),
      denominator: requests(),
      minDenominator,
    },
    op: '>',
    threshold: 0.05,
  });

  it('divides errors by requests per target', () => {
    const store = storeWith(...counterSeries(a, { '2xx': [0, 90], '5xx': [0, 10] }));
    expect(byTarget(compileCondition(errorRatio())(context(store, t0 + 10_000)))).toEqual({
      'cart/cart-1': 0.1,
    });
  });

  it('does not fire with no traffic: a zero denominator gives no value', () => {
    const store = storeWith(...counterSeries(a, { '2xx': [40, 40], '5xx': [3, 3] }));
    expect(
      compileValue((errorRatio() as { value: RangeExpr }).value)(context(store, t0 + 10_000)).size,
    ).toBe(0);
    expect(compileCondition(errorRatio())(context(store, t0 + 10_000)).size).toBe(0);
  });

  it('reads no error series as a ratio of 0, so the alert resolves rather than going quiet', () => {
    const store = storeWith(...counterSeries(a, { '2xx': [0, 100] }));
    const ratio = compileValue({
      kind: 'ratio',
      numerator: requests([status5xx]),
      denominator: requests(),
    });
    expect(byTarget(ratio(context(store, t0 + 10_000)))).toEqual({ 'cart/cart-1': 0 });
  });

  it('ignores a ratio over too little traffic when asked to', () => {
    // 1 error in 2 requests over 10 s: 50%, but at 0.2 requests per second.
    const store = storeWith(...counterSeries(a, { '2xx': [0, 1], '5xx': [0, 1] }));
    expect(compileCondition(errorRatio(0.5))(context(store, t0 + 10_000)).size).toBe(0);
    expect(compileCondition(errorRatio(0.1))(context(store, t0 + 10_000)).size).toBe(1);
  });
});

describe('absent', () => {
  const absentUp = (services?: string[]): Condition => ({
    kind: 'absent',
    select: { metric: 'up' },
    staleAfterMs: 15_000,
    services,
  });

  it('holds for a target silent longer than staleAfter, valued in seconds of silence', () => {
    const store = storeWith([a, t0, [['up', 1]]], [b, t0 + 10_000, [['up', 1]]]);
    const silent = compileCondition(absentUp());
    expect(byTarget(silent(context(store, t0 + 15_000)))).toEqual({});
    expect(byTarget(silent(context(store, t0 + 20_000)))).toEqual({ 'cart/cart-1': 20 });
  });

  it('holds for an expected service never seen, counting from the first evaluation', () => {
    const store = storeWith([a, t0, [['up', 1]]]);
    const silent = compileCondition(absentUp(['cart', 'payment']));
    expect(byTarget(silent(context(store, t0 + 10_000, t0)))).toEqual({});
    expect(byTarget(silent(context(store, t0 + 16_000, t0)))).toEqual({
      'cart/cart-1': 16,
      payment: 16,
    });
  });
});

describe('any', () => {
  it('holds where any part holds, with the first true part giving the value', () => {
    const store = storeWith([a, t0, [['up', 0]]], [b, t0 - 30_000, [['up', 1]]]);
    const down = compileCondition({
      kind: 'any',
      of: [
        {
          kind: 'threshold',
          value: { kind: 'range', fn: 'last', select: { metric: 'up' }, windowMs: 15_000 },
          op: '==',
          threshold: 0,
        },
        { kind: 'absent', select: { metric: 'up' }, staleAfterMs: 15_000 },
      ],
    });
    expect(byTarget(down(context(store, t0)))).toEqual({ 'cart/cart-1': 0, 'cart/cart-2': 30 });
  });
});

describe('a trend needs a long enough series', () => {
  const memory = (minSpanMs?: number): RangeExpr => ({
    kind: 'range',
    fn: 'slope',
    select: { metric: 'process_resident_memory_bytes' },
    windowMs: 120_000,
    ...(minSpanMs !== undefined && { minSpanMs }),
  });
  // a process that started 30 s ago, climbing 2 MB/s while it warms up
  const young = storeWith(
    ...Array.from({ length: 16 }, (_, i): [Target, number, SampleSpec[]] => [
      a,
      t0 + i * 2_000,
      [['process_resident_memory_bytes', 50e6 + i * 4e6]],
    ]),
  );

  it('gives no slope for a series younger than minSpanMs, and one without it', () => {
    const now = t0 + 30_000;
    expect(byTarget(compileValue(memory(100_000))(context(young, now)))).toEqual({});
    expect(byTarget(compileValue(memory())(context(young, now)))['cart/cart-1']).toBeCloseTo(
      2e6,
      -3,
    );
  });
});
