import { ConfigRevisions } from './config-revisions';

const versions = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('ConfigRevisions', () => {
  it('tells a version someone else made current, after learning the first one', () => {
    const revisions = new ConfigRevisions();
    expect(revisions.observe(versions({ catalog: 1, cart: 3 }))).toEqual([]);
    expect(revisions.observe(versions({ catalog: 1, cart: 3 }))).toEqual([]);
    expect(revisions.observe(versions({ catalog: 2, cart: 3 }))).toEqual([
      { target: 'catalog', from: 1, to: 2 },
    ]);
    expect(revisions.observe(versions({ catalog: 2, cart: 3 }))).toEqual([]);
  });

  it('tells the first config pushed to a service that ran on its defaults', () => {
    const revisions = new ConfigRevisions();
    expect(revisions.observe(new Map([['catalog', undefined]]))).toEqual([]);
    expect(revisions.observe(new Map([['catalog', undefined]]))).toEqual([]);
    expect(revisions.observe(versions({ catalog: 2 }))).toEqual([
      { target: 'catalog', from: undefined, to: 2 },
    ]);
  });

  it('does not tell the executor its own rollback again', () => {
    const revisions = new ConfigRevisions();
    revisions.observe(versions({ catalog: 2 }));
    revisions.expect('catalog', 1);
    expect(revisions.observe(versions({ catalog: 1 }))).toEqual([]);
    expect(revisions.observe(versions({ catalog: 3 }))).toEqual([
      { target: 'catalog', from: 1, to: 3 },
    ]);
  });
});
