import { emptyFilters } from './filters';
import { rangeChoice, toggleInOrder } from './filter-controls';

describe('toggleInOrder', () => {
  const order = ['open', 'acknowledged', 'resolved'];

  it('adds a value in its place in the order, not at the end', () => {
    expect(toggleInOrder(['resolved'], 'open', order)).toEqual(['open', 'resolved']);
  });

  it('removes a value that is there', () => {
    expect(toggleInOrder(['open', 'resolved'], 'open', order)).toEqual(['resolved']);
  });
});

describe('rangeChoice', () => {
  it('is the preset when one is set, even with since/until left over', () => {
    expect(
      rangeChoice({ ...emptyFilters(), range: '24h', since: '2025-06-01T00:00:00.000Z' }),
    ).toBe('24h');
  });

  it('is custom for a fixed window, open at either end', () => {
    expect(rangeChoice({ ...emptyFilters(), since: '2025-06-01T00:00:00.000Z' })).toBe('custom');
    expect(rangeChoice({ ...emptyFilters(), until: '2025-06-01T00:00:00.000Z' })).toBe('custom');
  });

  it('is any time without a window', () => {
    expect(rangeChoice(emptyFilters())).toBe('');
  });
});
