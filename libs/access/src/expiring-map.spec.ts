import { ExpiringMap } from './expiring-map';

describe('expiring map', () => {
  it('gives a value once, and nothing after it expires', () => {
    let now = 0;
    const map = new ExpiringMap<string>({ ttlMs: 1_000, maxEntries: 10, now: () => now });
    map.set('a', 'one');
    map.set('b', 'two');
    expect(map.take('a')).toBe('one');
    expect(map.take('a')).toBeUndefined();
    now = 1_000;
    expect(map.take('b')).toBeUndefined();
  });

  it('never holds more than its bound: the oldest go first', () => {
    const map = new ExpiringMap<number>({ ttlMs: 60_000, maxEntries: 3, now: () => 0 });
    for (let i = 0; i < 100; i += 1) map.set(`k${i}`, i);
    expect(map.size).toBe(3);
    expect(map.take('k0')).toBeUndefined();
    expect(map.take('k99')).toBe(99);
  });

  it('drops expired entries when new ones arrive', () => {
    let now = 0;
    const map = new ExpiringMap<number>({ ttlMs: 1_000, maxEntries: 10, now: () => now });
    map.set('old', 1);
    now = 5_000;
    map.set('new', 2);
    expect(map.size).toBe(1);
  });
});
