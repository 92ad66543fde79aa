import {
  chanceRankingMetrics,
  evaluateRankings,
  evaluateRankingsByFaultType,
  rankOfRoot,
  rankedServices,
} from './ranking-metrics';

const outcome = (faultType: string, rootService: string, ranking: string[]) => ({
  faultType,
  rootService,
  ranking,
});

describe('rankOfRoot', () => {
  it('counts each service once, at its first appearance', () => {
    expect(rankOfRoot(['a', 'a', 'b', 'c'], 'b')).toBe(2);
    expect(rankOfRoot(['a', 'b'], 'z')).toBeUndefined();
  });
});

describe('rankedServices', () => {
  it('keeps the first appearance of each service', () => {
    const entry = (service: string) => ({
      service,
      score: 1,
      evidence: { metrics: [], logs: [], alerts: [] },
      path: [service],
    });
    expect(rankedServices([entry('x'), entry('y'), entry('x')])).toEqual(['x', 'y']);
  });
});

describe('evaluateRankings', () => {
  it('computes AC@k and Avg@5 as the mean of AC@1..AC@5', () => {
    const m = evaluateRankings([
      outcome('cpu', 'a', ['a', 'b', 'c']), // rank 1
      outcome('cpu', 'b', ['a', 'b', 'c']), // rank 2
      outcome('mem', 'e', ['a', 'b', 'c', 'd', 'e']), // rank 5
      outcome('mem', 'z', ['a', 'b']), // not ranked
    ]);
    expect(m.acAtK).toEqual([0.25, 0.5, 0.5, 0.5, 0.75]);
    expect(m.ac1).toBe(0.25);
    expect(m.ac3).toBe(0.5);
    expect(m.avg5).toBeCloseTo((0.25 + 0.5 + 0.5 + 0.5 + 0.75) / 5);
    expect(m.meanRank).toBeCloseTo((1 + 2 + 5 + 3) / 4);
  });

  it('gives zeros, not NaN, for no cases', () => {
    expect(evaluateRankings([])).toMatchObject({ cases: 0, ac1: 0, avg5: 0 });
  });

  it('splits by fault type', () => {
    const byType = evaluateRankingsByFaultType([
      outcome('cpu', 'a', ['a']),
      outcome('crash', 'a', ['b', 'a']),
      outcome('cpu', 'b', ['a', 'b']),
    ]);
    expect([...byType.keys()]).toEqual(['cpu', 'crash']);
    expect(byType.get('cpu')?.ac1).toBe(0.5);
    expect(byType.get('crash')?.ac3).toBe(1);
  });
});

describe('chanceRankingMetrics', () => {
  it('is min(k, n) / n averaged over cases', () => {
    const m = chanceRankingMetrics([10, 4]);
    expect(m.ac1).toBeCloseTo((0.1 + 0.25) / 2);
    expect(m.acAtK[4]).toBeCloseTo((0.5 + 1) / 2);
  });
});
