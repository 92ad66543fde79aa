import type { LogLine } from '../signals/log-anomaly-detector';
import { spanEvidence } from './span-evidence';
import {
  calleeOfStep,
  FIRST_LINE,
  FIRST_STEP,
  LAST_STEP,
  lineStepTransitions,
} from './step-transitions';
import type { SpanRecord } from './telemetry-records';
import type { StepTransitionCount } from '../rca-case';

const span = (over: Partial<SpanRecord> & Pick<SpanRecord, 'spanId' | 'service'>): SpanRecord => ({
  traceId: 't1',
  operation: 'op',
  start: 1_000,
  durationMs: 10,
  ...over,
});

const line = (over: Partial<LogLine>): LogLine => ({
  service: 'frontend',
  level: 'info',
  body: 'placing order 42',
  time: 1_000,
  traceId: 't1',
  spanId: 'a',
  ...over,
});

/** Transitions as `service: from -> to xN`, any one template reading as `log T`. */
function pairs(counts: StepTransitionCount[]): string[] {
  const step = (s: string) => s.replace(/^log \S+$/, 'log T');
  return counts.map((t) => `${t.service}: ${step(t.from)} -> ${step(t.to)} x${t.count}`);
}

describe('step transitions of spans', () => {
  it("follow a request's work in each service: its own spans and its calls, in time order", () => {
    const spans = [
      span({ spanId: 'a', service: 'frontend', operation: 'GET /checkout', start: 1_000 }),
      // the client span around the call to cart: the call is its one step
      span({
        spanId: 'b',
        parentId: 'a',
        service: 'frontend',
        operation: 'cart/Get',
        start: 1_005,
      }),
      span({ spanId: 'c', parentId: 'b', service: 'cart', operation: 'GetCart', start: 1_010 }),
      span({ spanId: 'd', parentId: 'c', service: 'cart', operation: 'redis GET', start: 1_012 }),
      span({ spanId: 'e', parentId: 'a', service: 'frontend', operation: 'render', start: 1_030 }),
    ];
    const steps = pairs(spanEvidence(spans).transitions);
    expect(steps).toEqual(
      expect.arrayContaining([
        `frontend: ${FIRST_STEP} -> entry GET /checkout x1`,
        'frontend: entry GET /checkout -> call cart GetCart x1',
        'frontend: call cart GetCart -> op render x1',
        `frontend: op render -> ${LAST_STEP} x1`,
        `cart: ${FIRST_STEP} -> entry GetCart x1`,
        'cart: entry GetCart -> op redis GET x1',
        `cart: op redis GET -> ${LAST_STEP} x1`,
      ]),
    );
    expect(steps).toHaveLength(7);
  });

  it('count each request once, in the bin its work began in', () => {
    const spans = [1_000, 2_000, 12_000].map((start, i) =>
      span({ traceId: `t${i}`, spanId: 'a', service: 'shop', operation: 'buy', start }),
    );
    const first = spanEvidence(spans).transitions.filter((t) => t.from === FIRST_STEP);
    expect(first.map((t) => [t.at, t.count])).toEqual([
      [0, 2],
      [10_000, 1],
    ]);
  });
});

describe('lineStepTransitions', () => {
  it("follows each span's lines in order, in the bin of its first line", () => {
    const lines = [
      line({ body: 'placing order 42', time: 9_000 }),
      line({ body: 'order 42 placed', time: 11_000 }),
      line({ spanId: 'other', body: 'placing order 43', time: 12_000 }),
      line({ traceId: undefined, spanId: undefined, body: 'no span', time: 12_000 }),
    ];
    const counts = lineStepTransitions(lines);
    expect(pairs(counts)).toEqual([
      `frontend: ${FIRST_LINE} -> log T x1`,
      'frontend: log T -> log T x1',
      `frontend: log T -> ${LAST_STEP} x1`,
      `frontend: ${FIRST_LINE} -> log T x1`,
      `frontend: log T -> ${LAST_STEP} x1`,
    ]);
    expect(counts.map((t) => t.at)).toEqual([0, 0, 0, 10_000, 10_000]);
  });
});

describe('calleeOfStep', () => {
  it('names the service a call step goes to', () => {
    expect(calleeOfStep('call cart GetCart')).toBe('cart');
    expect(calleeOfStep('op render')).toBeUndefined();
  });

  it('reads back a callee whose name has spaces or quotes, from the step a trace gave', () => {
    const names = ['billing api', 'say "hi"', 'cart'];
    const steps = spanEvidence([
      span({ spanId: 'e', service: 'front', operation: 'GET /' }),
      ...names.map((service, i) =>
        span({ spanId: `c${i}`, parentId: 'e', service, operation: 'Do It', start: 1_010 + i }),
      ),
    ]).transitions.map((t) => t.to);
    const callees = steps.map(calleeOfStep).filter((c) => c !== undefined);
    expect(callees).toEqual(names);
    expect(steps).toContain('call cart Do It');
  });
});
