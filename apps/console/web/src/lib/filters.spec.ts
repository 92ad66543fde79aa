import {
  applyStreamedIncident,
  emptyFilters,
  filtersToApiQuery,
  filtersToSearch,
  hasActiveFilters,
  matchIncident,
  matchesFilters,
  parseFilters,
  upsertIncident,
  type IncidentFilters,
} from './filters';
import { incidentItem, NOW } from './incident-fixtures';
import type { IncidentListItem } from './types';

/** An incident with a ranked root cause and a plan waiting for approval. */
function item(overrides: Partial<IncidentListItem> = {}): IncidentListItem {
  return incidentItem({
    rootCause: { service: 'payments-db', score: 0.91 },
    planState: 'awaiting-approval',
    ...overrides,
  });
}

const filters = (overrides: Partial<IncidentFilters>): IncidentFilters => ({
  ...emptyFilters(),
  ...overrides,
});

describe('incident filters in the URL', () => {
  it('reads known values only, once each, in canonical order', () => {
    const f = parseFilters(
      '?status=resolved,bogus,open,open&severity=info,critical&service=%20checkout%20&q=db+timeout&range=24h',
    );
    expect(f).toEqual({
      status: ['open', 'resolved'],
      severity: ['critical', 'info'],
      service: 'checkout',
      q: 'db timeout',
      range: '24h',
      since: '',
      until: '',
    });
  });

  it('round-trips through the query string', () => {
    const f = filters({
      status: ['open', 'acknowledged'],
      severity: ['warning'],
      service: 'cart',
      q: 'oom kill',
      since: '2025-06-01T00:00:00.000Z',
      until: '2025-06-01T06:00:00.000Z',
    });
    expect(parseFilters(filtersToSearch(f))).toEqual(f);
  });

  it('gives an empty query when nothing is filtered', () => {
    expect(filtersToSearch(emptyFilters())).toBe('');
    expect(hasActiveFilters(emptyFilters())).toBe(false);
    expect(hasActiveFilters(filters({ range: '1h' }))).toBe(true);
  });

  it('drops unparseable times and ignores since/until under a preset', () => {
    expect(parseFilters('?since=yesterday').since).toBe('');
    const f = parseFilters('?range=7d&since=2025-01-01T00:00:00Z');
    expect(f.range).toBe('7d');
    expect(f.since).toBe('');
    expect(parseFilters('?range=3w').range).toBe('');
  });
});

describe('the API query', () => {
  it('sends comma lists, the service, ISO times and the text', () => {
    const query = filtersToApiQuery(
      filters({
        status: ['open', 'acknowledged'],
        severity: ['critical'],
        service: 'cart',
        q: 'oom',
      }),
      NOW,
    );
    const params = new URLSearchParams(query);
    expect(params.get('status')).toBe('open,acknowledged');
    expect(params.get('severity')).toBe('critical');
    expect(params.get('service')).toBe('cart');
    expect(params.get('q')).toBe('oom');
    expect(params.has('since')).toBe(false);
  });

  it('turns a preset into since = now minus the window', () => {
    const params = new URLSearchParams(filtersToApiQuery(filters({ range: '1h' }), NOW));
    expect(params.get('since')).toBe('2025-06-01T11:00:00.000Z');
    expect(params.has('until')).toBe(false);
  });

  it('is empty without filters', () => {
    expect(filtersToApiQuery(emptyFilters(), NOW)).toBe('');
  });
});

describe('matching a streamed row against the filters', () => {
  it('matches everything without filters', () => {
    expect(matchesFilters(item(), emptyFilters(), NOW)).toBe(true);
  });

  it('filters by status and severity (any of the chosen)', () => {
    expect(matchesFilters(item(), filters({ status: ['open', 'acknowledged'] }), NOW)).toBe(true);
    expect(matchesFilters(item({ status: 'resolved' }), filters({ status: ['open'] }), NOW)).toBe(
      false,
    );
    expect(matchesFilters(item(), filters({ severity: ['warning', 'info'] }), NOW)).toBe(false);
    expect(matchesFilters(item(), filters({ severity: ['critical'] }), NOW)).toBe(true);
  });

  it('filters by exact service name', () => {
    expect(matchesFilters(item(), filters({ service: 'payments' }), NOW)).toBe(true);
    expect(matchesFilters(item(), filters({ service: 'pay' }), NOW)).toBe(false);
  });

  it('uses updatedAt for since and openedAt for until', () => {
    expect(matchesFilters(item(), filters({ range: '1h' }), NOW)).toBe(true);
    const stale = item({ updatedAt: '2025-06-01T10:00:00.000Z' });
    expect(matchesFilters(stale, filters({ range: '1h' }), NOW)).toBe(false);
    expect(matchesFilters(stale, filters({ range: '24h' }), NOW)).toBe(true);
    expect(matchesFilters(item(), filters({ until: '2025-06-01T11:00:00.000Z' }), NOW)).toBe(false);
    expect(matchesFilters(item(), filters({ until: '2025-06-01T11:30:00.000Z' }), NOW)).toBe(true);
    expect(matchesFilters(item(), filters({ since: '2025-06-01T11:55:00.000Z' }), NOW)).toBe(false);
  });

  it('needs every search word in the title, id, services or root cause (case-insensitive)', () => {
    expect(matchIncident(item(), filters({ q: 'CHECKOUT error' }), NOW)).toBe('match');
    expect(matchIncident(item(), filters({ q: 'payments-db' }), NOW)).toBe('match');
    expect(matchIncident(item(), filters({ q: 'inc-1' }), NOW)).toBe('match');
  });

  it('is unsure when search words are missing: the server also searches alert text', () => {
    expect(matchIncident(item(), filters({ q: 'checkout oomkilled' }), NOW)).toBe('maybe');
    expect(matchesFilters(item(), filters({ q: 'oomkilled' }), NOW)).toBe(false);
    // a structural mismatch is certain
    expect(matchIncident(item(), filters({ q: 'oomkilled', status: ['resolved'] }), NOW)).toBe(
      'no-match',
    );
  });
});

describe('keeping the list', () => {
  const a = item({ incidentId: 'a', updatedAt: '2025-06-01T11:00:00.000Z' });
  const b = item({ incidentId: 'b', updatedAt: '2025-06-01T11:10:00.000Z' });

  it('inserts and replaces rows, newest update first', () => {
    const list = upsertIncident(
      [b, a],
      item({ incidentId: 'c', updatedAt: '2025-06-01T11:05:00.000Z' }),
    );
    expect(list.map((i) => i.incidentId)).toEqual(['b', 'c', 'a']);
    const replaced = upsertIncident(list, {
      ...a,
      updatedAt: '2025-06-01T11:20:00.000Z',
      title: 'new',
    });
    expect(replaced.map((i) => i.incidentId)).toEqual(['a', 'b', 'c']);
    expect(replaced[0].title).toBe('new');
    expect(replaced).toHaveLength(3);
  });

  it('takes out a row that no longer matches and ignores one that never did', () => {
    const f = filters({ status: ['open'] });
    const gone = applyStreamedIncident([b, a], { ...a, status: 'resolved' }, f, NOW);
    expect(gone.list.map((i) => i.incidentId)).toEqual(['b']);
    const ignored = applyStreamedIncident(
      [b],
      item({ incidentId: 'z', status: 'resolved' }),
      f,
      NOW,
    );
    expect(ignored.list.map((i) => i.incidentId)).toEqual(['b']);
    expect(ignored.changed).toBe(false);
  });

  it('keeps a listed row that is unsure and asks the server about an unknown one', () => {
    const f = filters({ q: 'oomkilled' });
    const kept = applyStreamedIncident([a], { ...a, alertCount: 9 }, f, NOW);
    expect(kept.list[0].alertCount).toBe(9);
    expect(kept.refetch).toBe(false);
    const unknown = applyStreamedIncident([a], item({ incidentId: 'new' }), f, NOW);
    expect(unknown.refetch).toBe(true);
    expect(unknown.list.map((i) => i.incidentId)).toEqual(['a']);
  });
});
