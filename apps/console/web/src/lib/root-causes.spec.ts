import { explainingPath, metricDirection, missingSources, rankedCandidates } from './root-causes';
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

describe('the sources of a ranking', () => {
  it('says which one it was made without, and why', () => {
    expect(missingSources({})).toBeNull();
    expect(missingSources({ sources: [{ name: 'kafka', status: 'ok' }] })).toBeNull();
    expect(
      missingSources({
        sources: [
          { name: 'kafka', status: 'ok' },
          { name: 'prometheus', status: 'missing', detail: 'connect ECONNREFUSED 127.0.0.1:9090' },
        ],
      }),
    ).toBe('ranked without prometheus (connect ECONNREFUSED 127.0.0.1:9090)');
    expect(missingSources({ sources: [{ name: 'prometheus', status: 'partial' }] })).toBe(
      'ranked without prometheus (partly)',
    );
  });
});
