import type { IncidentEvent } from '@vigil/contracts';
import { IncidentBoard } from './incident-board';
import { foldIncidentHistory, incidentRecord } from './incident-history';
import {
  rankSimilarIncidents,
  rankSimilarIncidentsWith,
  type SimilarCandidate,
  similarityFactsOf,
  similarityText,
  wordCounts,
} from './similar-incidents';

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
        expect.stringMatching(/^alert words 0\.\d\d$/),
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
      { limit: 2 },
    );
    expect(ranked.map((r) => r.id)).toEqual(['new', 'mid']);
  });

  it('compares alert text by meaning when it has sentence vectors, by words for one without', () => {
    const candidates = [
      past('same-words', { alertText: 'HighErrorRate cart: 5xx above 5%' }),
      past('same-meaning', { title: 'payment pool', alertText: 'DatabaseConnectionsSaturated' }),
      past('no-vector', { alertText: 'HighErrorRate cart: 5xx above 5%' }),
    ];
    const vectors = new Map([
      ['now', [1, 0, 0]],
      ['same-words', [0.2, 0.98, 0]],
      ['same-meaning', [0.95, 0.31, 0]],
    ]);
    const ranked = rankSimilarIncidents(target, candidates, { vectors });
    expect(ranked.map((r) => [r.id, r.reasons])).toEqual([
      ['same-meaning', ['alert meaning 0.92']],
      ['no-vector', [expect.stringMatching(/^alert words 0\.\d\d$/)]],
    ]);
  });

  it('ranks by words when the embedder is missing, answers nothing or fails', async () => {
    const candidates = [past('words', { alertText: 'HighErrorRate cart: 5xx above 5%' })];
    const byWords = rankSimilarIncidents(target, candidates);
    expect(byWords[0]?.reasons).toEqual([expect.stringMatching(/^alert words/)]);
    for (const embed of [
      undefined,
      async () => undefined,
      async () => Promise.reject(new Error('no model')),
    ])
      expect(await rankSimilarIncidentsWith(embed, target, candidates)).toEqual(byWords);
  });

  it('embeds the target and every candidate by title and alert text, once each', async () => {
    const seen: string[][] = [];
    const candidates = [past('a', { title: 'checkout slow' }), past('b', {})];
    const ranked = await rankSimilarIncidentsWith(
      async (texts) => {
        seen.push(texts);
        return texts.map((t) => (t.startsWith('checkout') ? [1, 0] : [0, 1]));
      },
      target,
      candidates,
    );
    expect(seen).toEqual([[target, ...candidates].map(similarityText)]);
    expect(ranked.map((r) => [r.id, r.reasons])).toEqual([['a', ['alert meaning 1.00']]]);
  });

  it('embeds only the best few by words, and ranks those again by meaning', async () => {
    const embedded: string[] = [];
    const cause = past('cause', { rootCause: 'payment-db' });
    const service = past('service', { services: ['checkout'], alertText: 'QueueBacklog orders' });
    const candidates = [cause, service, past('neighbour', { services: ['payment'], hops: 1 })];
    const ranked = await rankSimilarIncidentsWith(
      async (texts) => {
        embedded.push(...texts);
        // the root cause's alerts mean what ours do; the shared service's do not
        return texts.map((t) => (t === similarityText(service) ? [0, 1] : [1, 0]));
      },
      target,
      candidates,
      { maxEmbedded: 2 },
    );
    expect(embedded).toEqual([target, cause, service].map(similarityText));
    expect(ranked.map((r) => [r.id, r.reasons])).toEqual([
      ['cause', ['same root cause payment-db', 'alert meaning 1.00']],
      ['service', ['shares checkout']],
    ]);
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

describe('similarityFactsOf', () => {
  it('describes a live incident as the store describes a stored one', () => {
    const at = '2026-12-02T10:00:00Z';
    const opened = (n: number, alertname: string): IncidentEvent => ({
      schemaVersion: 1,
      eventId: `i1:${n}`,
      incidentId: 'i1',
      at,
      type: n === 1 ? 'opened' : 'alert-attached',
      fingerprint: `f${n}`,
      reason: { kind: 'first-alert' },
      alert: {
        alertname,
        service: 'checkout',
        severity: 'critical',
        summary: `summary ${n}`,
        startsAt: at,
      },
      incident: {
        title: 'checkout errors',
        severity: 'critical',
        status: 'open',
        services: ['checkout'],
        alertCount: n,
        openedAt: at,
        updatedAt: at,
      },
    });
    const events = [opened(1, 'HighErrorRate'), opened(2, 'PaymentTimeouts')];
    const board = new IncidentBoard();
    for (const e of events) board.applyIncidentEvent(e);
    const stored = foldIncidentHistory('i1', events.map(incidentRecord));
    const live = board.get('i1');
    expect(live && similarityFactsOf(live)).toEqual({
      id: 'i1',
      title: stored?.title,
      services: stored?.services,
      alertText: stored?.alertText,
      openedAt: stored?.openedAt,
    });
    expect(stored?.alertText).toBe('HighErrorRate summary 1\nPaymentTimeouts summary 2');
  });
});
