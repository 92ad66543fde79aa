import { emptyFilters } from './filters';
import {
  emptyListText,
  incidentCountText,
  incidentRowClass,
  knownServices,
  rowsFromAnswer,
  splitServices,
} from './incident-rows';
import { incidentItem as item, NOW } from './incident-fixtures';

describe('rowsFromAnswer', () => {
  it('sorts the answer, newest update first', () => {
    const older = item({ incidentId: 'a', updatedAt: '2025-06-01T11:00:00.000Z' });
    const newer = item({ incidentId: 'b', updatedAt: '2025-06-01T11:55:00.000Z' });
    const rows = rowsFromAnswer({ incidents: [older, newer] }, [], emptyFilters(), NOW);
    expect(rows.map((r) => r.incidentId)).toEqual(['b', 'a']);
  });

  it('treats an answer without a list as no rows', () => {
    expect(rowsFromAnswer(undefined, [], emptyFilters(), NOW)).toEqual([]);
    expect(rowsFromAnswer({ incidents: 'nope' }, [], emptyFilters(), NOW)).toEqual([]);
  });

  it('applies a row streamed meanwhile that is newer than the answer', () => {
    const fetched = item({ status: 'open' });
    const streamed = item({ status: 'acknowledged', updatedAt: '2025-06-01T11:58:00.000Z' });
    const rows = rowsFromAnswer({ incidents: [fetched] }, [streamed], emptyFilters(), NOW);
    expect(rows).toEqual([streamed]);
  });

  it('keeps the answer’s row when it is newer than the streamed one', () => {
    const fetched = item({ status: 'resolved', updatedAt: '2025-06-01T11:59:00.000Z' });
    const streamed = item({ status: 'acknowledged', updatedAt: '2025-06-01T11:58:00.000Z' });
    const rows = rowsFromAnswer({ incidents: [fetched] }, [streamed], emptyFilters(), NOW);
    expect(rows).toEqual([fetched]);
  });

  it('adds a streamed row the answer did not have yet, if it matches the filters', () => {
    const fresh = item({ incidentId: 'new', updatedAt: '2025-06-01T11:59:00.000Z' });
    const filters = { ...emptyFilters(), status: ['open' as const] };
    expect(rowsFromAnswer({ incidents: [] }, [fresh], filters, NOW)).toEqual([fresh]);
    const resolved = item({ incidentId: 'gone', status: 'resolved' });
    expect(rowsFromAnswer({ incidents: [] }, [resolved], filters, NOW)).toEqual([]);
  });
});

describe('knownServices', () => {
  it('lists each service once, sorted', () => {
    const rows = [item({ services: ['payments', 'checkout'] }), item({ services: ['cart'] })];
    expect(knownServices(rows)).toEqual(['cart', 'checkout', 'payments']);
    expect(knownServices(null)).toEqual([]);
  });
});

describe('incidentCountText', () => {
  it('counts the rows, singular for one', () => {
    expect(incidentCountText([1, 2, 3], false)).toBe('3 incidents');
    expect(incidentCountText([1], false)).toBe('1 incident');
    expect(incidentCountText([], false)).toBe('0 incidents');
  });

  it('says when it is refreshing, and nothing before the first answer', () => {
    expect(incidentCountText([1, 2], true)).toBe('2 incidents · refreshing…');
    expect(incidentCountText(null, true)).toBe('');
  });
});

describe('splitServices', () => {
  it('shows four services and keeps the rest for the "+n" note', () => {
    expect(splitServices(['a', 'b', 'c', 'd', 'e', 'f'])).toEqual({
      shown: ['a', 'b', 'c', 'd'],
      hidden: ['e', 'f'],
    });
    expect(splitServices(['a'])).toEqual({ shown: ['a'], hidden: [] });
  });
});

describe('incidentRowClass', () => {
  it('flashes a changed row and dims a resolved one', () => {
    expect(incidentRowClass({ status: 'open' }, false)).toBe('incident-row clickable');
    expect(incidentRowClass({ status: 'open' }, true)).toBe('incident-row clickable flash');
    expect(incidentRowClass({ status: 'resolved' }, true)).toBe('incident-row clickable flash dim');
  });
});

describe('emptyListText', () => {
  it('tells filtered-out apart from quiet', () => {
    expect(emptyListText(true)).toBe('No incidents match these filters.');
    expect(emptyListText(false)).toBe('No incidents. All quiet.');
  });
});
