import { rcaResultSchema } from '@vigil/contracts';
import type { RankedRootCause } from './rca-case';
import { rankingChanged, toRcaResult } from './rca-result-mapping';

const T0 = Date.parse('2026-11-27T10:00:00Z');

function cause(service: string, score: number, metrics = 1): RankedRootCause {
  return {
    service,
    score,
    path: [service, 'frontend'],
    evidence: {
      metrics: Array.from({ length: metrics }, (_, i) => ({
        metric: `m${i}`,
        score: 12.345,
        onset: T0,
        direction: 'up' as const,
      })),
      logs: [],
      alerts: [],
      onset: T0,
    },
  };
}

describe('toRcaResult and rankingChanged', () => {
  it('maps a ranking to the contract with ranks, ISO times and the first candidates only', () => {
    const result = toRcaResult(
      'inc-1',
      0,
      [cause('db', 0.9), cause('api', 0.5), cause('web', 0.1)],
      T0,
      2,
    );
    expect(result.candidates.map((c) => [c.rank, c.service])).toEqual([
      [1, 'db'],
      [2, 'api'],
    ]);
    expect(result.candidates[0].evidence.metrics[0]).toEqual({
      metric: 'm0',
      score: 12.35,
      onset: '2026-11-27T10:00:00.000Z',
      direction: 'up',
    });
  });

  it("carries the steps that went missing, in the contract, a caller's with its name", () => {
    const catalog = cause('catalog', 0.8, 0);
    const step = {
      service: 'catalog',
      from: `call catalog ${'GetProduct/'.repeat(60)}`,
      to: 'op render',
      usual: 0.5714,
      expected: 425.66,
      observed: 0,
      surprise: 272.456,
      witness: 'frontend',
      share: 0.5,
    };
    catalog.evidence.steps = [step];
    const result = toRcaResult('inc-1', 0, [catalog], T0);
    expect(rcaResultSchema.parse(result)).toEqual(result);
    const [carried] = result.candidates[0].evidence.missingSteps ?? [];
    expect(carried).toEqual({
      from: expect.stringMatching(/^call catalog GetProduct\/.*…$/),
      to: 'op render',
      usual: 0.571,
      expected: 425.7,
      observed: 0,
      surprise: 272.46,
      witness: 'frontend',
    });
    expect(carried.from).toHaveLength(500);
    // a step more is new evidence: a revision
    const before = toRcaResult('inc-1', 0, [cause('catalog', 0.8, 0)], T0);
    expect(rankingChanged(before, result)).toBe(true);
  });

  it('publishes a revision only when the leading candidates, their scores or evidence change', () => {
    const first = toRcaResult('inc-1', 0, [cause('db', 0.9), cause('api', 0.5)], T0);
    expect(rankingChanged(undefined, first)).toBe(true);
    expect(
      rankingChanged(first, toRcaResult('inc-1', 1, [cause('db', 0.92), cause('api', 0.5)], T0)),
    ).toBe(false);
    expect(
      rankingChanged(first, toRcaResult('inc-1', 1, [cause('api', 0.9), cause('db', 0.5)], T0)),
    ).toBe(true);
    expect(
      rankingChanged(first, toRcaResult('inc-1', 1, [cause('db', 0.5), cause('api', 0.5)], T0)),
    ).toBe(true);
    expect(
      rankingChanged(first, toRcaResult('inc-1', 1, [cause('db', 0.9, 2), cause('api', 0.5)], T0)),
    ).toBe(true);
  });
});
