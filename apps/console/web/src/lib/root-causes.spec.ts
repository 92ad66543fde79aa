import { explainingPath, metricDirection, rankedCandidates } from './root-causes';
import type { RootCauseCandidate } from './types';

function candidate(service: string, rank: number): RootCauseCandidate {
  return {
    service,
    rank,
    score: 1 / rank,
    path: [service],
    evidence: { metrics: [], logTemplates: [], alerts: [] },
  } as unknown as RootCauseCandidate;
}

describe('rankedCandidates', () => {
  it('puts the best rank first without changing the input', () => {
    const input = [candidate('cart', 3), candidate('payment-db', 1), candidate('payment', 2)];
    expect(rankedCandidates(input).map((c) => c.service)).toEqual([
      'payment-db',
      'payment',
      'cart',
    ]);
    expect(input.map((c) => c.rank)).toEqual([3, 1, 2]);
  });
});

describe('explainingPath', () => {
  it('joins a path with arrows', () => {
    expect(explainingPath(['checkout', 'payment', 'payment-db'])).toBe(
      'checkout → payment → payment-db',
    );
  });

  it('has nothing to show for a single service or none', () => {
    expect(explainingPath(['payment-db'])).toBeNull();
    expect(explainingPath([])).toBeNull();
  });
});

describe('metricDirection', () => {
  it('shows up, down, and a change without a direction', () => {
    expect(metricDirection('up')).toEqual({ glyph: '▲', title: 'went up' });
    expect(metricDirection('down')).toEqual({ glyph: '▼', title: 'went down' });
    expect(metricDirection(undefined)).toEqual({ glyph: '◆', title: 'changed' });
  });
});
