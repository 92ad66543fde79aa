import { binomialLog10AtMost, missingSteps } from './missing-steps';
import type { StepTransitionCount } from './rca-case';

const count = (
  service: string,
  at: number,
  from: string,
  to: string,
  n: number,
): StepTransitionCount => ({ service, at, from, to, count: n });

/** `n` requests a bin for `bins` bins from `start`, each going from `from` to `to`. */
function habit(service: string, start: number, bins: number, from: string, to: string, n = 4) {
  return Array.from({ length: bins }, (_, i) => count(service, start + i * 10_000, from, to, n));
}

describe('missingSteps', () => {
  const start = 600_000;

  it('finds a step that always followed another and stopped, and how surely', () => {
    const transitions = [
      ...habit('shop', 0, 60, 'entry buy', 'log 7'),
      ...habit('shop', 0, 60, 'log 7', '(end)'),
      ...habit('shop', start, 6, 'entry buy', '(end)'),
    ];
    const [found, ...rest] = missingSteps(transitions, start);
    expect(rest).toEqual([]);
    expect(found).toMatchObject({
      service: 'shop',
      from: 'entry buy',
      to: 'log 7',
      usual: 1,
      expected: 24,
      observed: 0,
      share: 1,
    });
    // a step that followed every time is not certain to: the surprise is large, and finite
    expect(found.surprise).toBeGreaterThan(5);
    expect(Number.isFinite(found.surprise)).toBe(true);
  });

  it('finds nothing while the usual steps keep coming, or with too few requests to tell', () => {
    const usual = [
      ...habit('shop', 0, 60, 'entry buy', 'log 7'),
      ...habit('shop', start, 6, 'entry buy', 'log 7'),
    ];
    expect(missingSteps(usual, start)).toEqual([]);
    const quiet = [
      ...habit('shop', 0, 60, 'entry buy', 'log 7'),
      count('shop', start, 'entry buy', '(end)', 2),
    ];
    expect(missingSteps(quiet, start)).toEqual([]);
  });

  it('gives part of a step missing after a call to the service called', () => {
    const transitions = [
      ...habit('frontend', 0, 60, 'call catalog GetProduct', 'op render'),
      ...habit('frontend', start, 6, 'call catalog GetProduct', '(end)'),
    ];
    const found = missingSteps(transitions, start);
    expect(found.map((s) => [s.service, s.share])).toEqual([
      ['frontend', 0.5],
      ['catalog', 0.5],
    ]);
  });
});

describe('missingSteps, who a step after a call speaks of', () => {
  const start = 600_000;
  const lost = (from: string, to: string) =>
    missingSteps(
      [...habit('frontend', 0, 60, from, to), ...habit('frontend', start, 6, from, '(end)')],
      start,
    );

  it('not of a callee when the step lost was a call to another service (which may be gone)', () => {
    expect(
      lost('call catalog GetProduct', 'call ads GetAds').map((s) => [s.service, s.share]),
    ).toEqual([['frontend', 1]]);
  });

  it('of the callee when the step lost was another call to it', () => {
    const found = lost('call catalog GetProduct', 'call catalog GetProduct');
    expect(found.map((s) => s.service).sort()).toEqual(['catalog', 'frontend']);
  });

  it('wholly of the service when it called itself', () => {
    expect(lost('call frontend render', 'op send').map((s) => [s.service, s.share])).toEqual([
      ['frontend', 1],
    ]);
  });
});

describe('binomialLog10AtMost', () => {
  it('agrees with the sum of the binomial terms', () => {
    const direct = (k: number, n: number, p: number) => {
      let sum = 0;
      let c = 1;
      for (let i = 0; i <= k; i++) {
        sum += c * p ** i * (1 - p) ** (n - i);
        c = (c * (n - i)) / (i + 1);
      }
      return Math.log10(sum);
    };
    for (const [k, n, p] of [
      [0, 10, 0.5],
      [2, 30, 0.4],
      [5, 60, 0.9],
    ])
      expect(binomialLog10AtMost(k, n, p)).toBeCloseTo(direct(k, n, p), 9);
    expect(binomialLog10AtMost(3000, 1000, 0.5)).toBe(0);
    expect(binomialLog10AtMost(1, 5000, 0.5)).toBeLessThan(-1000);
  });
});
