import { EmbeddingCache, LruCache, normalizeAlertText } from './embedding-cache';

describe('normalizeAlertText', () => {
  it.each([
    ['  Disk   FULL on\t/var  ', 'disk full on /var'],
    ['CPU at 97% on host-12', 'cpu at <num>% on host-<num>'],
    ['latency 1.25s p99', 'latency <num>s p<num>'],
    ['conn refused from 10.0.3.17:5432', 'conn refused from <ip>'],
    ['route 192.168.0.0/16 withdrawn', 'route <ip> withdrawn'],
    ['peer fe80::1 down', 'peer <ip> down'],
    ['peer 2001:db8:0:0:0:0:2:1 down', 'peer <ip> down'],
    ['trace 4bf92f3577b34da6a3ce929d0e0e4736 failed', 'trace <hex> failed'],
    ['request 123e4567-e89b-12d3-a456-426614174000 timed out', 'request <hex> timed out'],
    ['segfault at 0x7ffd4c3a', 'segfault at <hex>'],
    ['nic 00:1A:2b:3C:4d:5E flapping', 'nic <hex> flapping'],
    ['pod api-7d9f8b6c5d-x2x7q restarted', 'pod api-<hex>-x<num>x<num>q restarted'],
    ['at 2024-05-01T12:30:45.123Z job failed', 'at <ts> job failed'],
    ['at 12:30:45 job failed', 'at <ts> job failed'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeAlertText(input)).toBe(expected);
  });

  it('keeps ordinary words that look like hex (no digit) and short numbers-in-words apart from ids', () => {
    expect(normalizeAlertText('decade facade deadbeef')).toBe('decade facade deadbeef');
    expect(normalizeAlertText('Fatal: cafe42 not found')).toBe('fatal: <hex> not found');
  });

  it('maps repeated alert templates to one key', () => {
    const a = normalizeAlertText(
      'Disk usage 91% on db-01 (/var/lib/postgresql) at 2024-06-01T10:00:00Z',
    );
    const b = normalizeAlertText(
      'disk usage 97%  on db-07 (/var/lib/postgresql) at 2024-06-02T11:12:13Z',
    );
    expect(a).toBe(b);
    expect(EmbeddingCache.keyOf('Disk usage 91% on db-01')).toBe(
      EmbeddingCache.keyOf('DISK usage 5% on db-9'),
    );
  });

  it('keeps different templates apart', () => {
    expect(normalizeAlertText('disk full on /var')).not.toBe(
      normalizeAlertText('disk full on /tmp'),
    );
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.has('a')).toBe(false);
    expect(lru.keys()).toEqual(['b', 'c']);
    expect(lru.evictions).toBe(1);
  });

  it('get refreshes recency', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.keys()).toEqual(['a', 'c']);
    expect(lru.get('b')).toBeUndefined();
  });

  it('overwriting a key refreshes it without eviction', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('a', 10);
    expect(lru.size).toBe(2);
    expect(lru.evictions).toBe(0);
    lru.set('c', 3);
    expect(lru.keys()).toEqual(['a', 'c']);
    expect(lru.get('a')).toBe(10);
  });

  it('rejects a non-positive capacity', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});

describe('EmbeddingCache', () => {
  it('looks up by normalised text', () => {
    const cache = new EmbeddingCache(10);
    const v = Float32Array.of(1, 0);
    cache.set('Host 10.1.2.3 unreachable', v);
    expect(cache.get('host 10.9.9.9   UNREACHABLE')).toBe(v);
    expect(cache.get('host unreachable')).toBeUndefined();
  });
});
