import { rankSimilarIncidents, type SimilarCandidate, wordCounts } from './similar-incidents';

const target = {
  id: 'now',
  title: 'checkout errors',
  services: ['checkout'],
  rootCause: 'payment-db',
  alertText: 'HighErrorRate checkout: 5xx above 5%\nConnectionPoolExhausted payment-db',
  openedAt: '2026-12-02T10:00:00Z',
};

const past = (id: string, extra: Partial<SimilarCandidate>): SimilarCandidate => ({
  id,
  title: 'something else',
  services: ['search'],
  alertText: 'DiskAlmostFull search: volume at 95%',
  openedAt: '2026-11-01T10:00:00Z',
  ...extra,
});

describe('rankSimilarIncidents', () => {
  it('ranks the same root cause, alike alerts and a shared service above what only looks alike', () => {
    const ranked = rankSimilarIncidents(target, [
      past('unrelated', {}),
      past('words-only', { alertText: 'HighErrorRate cart: 5xx above 5%' }),
      past('same-cause', {
        services: ['checkout'],
        rootCause: 'payment-db',
        alertText: 'ConnectionPoolExhausted payment-db',
        resolvedAt: '2026-11-01T10:20:00Z',
        planState: 'completed',
      }),
      past('neighbour', { services: ['payment'], hops: 1, alertText: 'QueueBacklog orders' }),
      past('now', { rootCause: 'payment-db' }),
    ]);
    expect(ranked.map((r) => r.id)).toEqual(['same-cause', 'words-only', 'neighbour']);
    expect(ranked[0]).toMatchObject({
      resolvedAt: '2026-11-01T10:20:00Z',
      planState: 'completed',
      reasons: [
        'same root cause payment-db',
        expect.stringMatching(/^alert text 0\.\d\d$/),
        'shares checkout',
      ],
    });
    expect(ranked[2]?.reasons).toEqual(['a neighbouring service']);
  });

  it('keeps the best few, newest first among equals', () => {
    const alike = (id: string, openedAt: string) => past(id, { services: ['checkout'], openedAt });
    const ranked = rankSimilarIncidents(
      target,
      [
        alike('old', '2026-01-01T00:00:00Z'),
        alike('new', '2026-11-30T00:00:00Z'),
        alike('mid', '2026-06-01T00:00:00Z'),
      ],
      2,
    );
    expect(ranked.map((r) => r.id)).toEqual(['new', 'mid']);
  });

  it('reads alert names as words', () => {
    expect([...wordCounts('ConnectionPoolExhausted on payment-db').keys()]).toEqual([
      'connection',
      'pool',
      'exhausted',
      'on',
      'payment',
      'db',
    ]);
  });
});
