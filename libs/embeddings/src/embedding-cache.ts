/**
 * Normalises alert-like text into a cache key, so that repeated alert templates that differ
 * only in variable parts map to the same key:
 *   timestamps -> <ts>, UUIDs / MAC addresses / 0x-hex / hex ids (>= 6 hex chars with a digit)
 *   -> <hex>, IPv4 (with port or /prefix) and IPv6 -> <ip>, every other run of digits
 *   (with decimals) -> <num>; then lowercase and collapse whitespace.
 *
 * Note the trade-off: HTTP 500 and HTTP 404, or host12 and host13, become the same key.
 */
const MASKS: ReadonlyArray<readonly [RegExp, string]> = [
  // ISO-8601-ish timestamps: 2024-05-01T12:30:45.123Z, 2024-05-01 12:30, +02:00 offsets
  [
    /\b\d{4}-\d{2}-\d{2}(?:[tT ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:[zZ]|[+-]\d{2}:?\d{2})?)?\b/g,
    ' <ts> ',
  ],
  // clock times 12:30:45(.123)
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, ' <ts> '],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<hex>'],
  [/\b[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}\b/gi, '<hex>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?:\/\d{1,2})?\b/g, '<ip>'],
  // IPv6: full 8 groups, or compressed with '::'
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])/gi, '<ip>'],
  [
    /(?<![\w:])(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?(?![\w:])(?=[\s,;)\]/%]|$)/gi,
    '<ip>',
  ],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/(?<![a-z0-9])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}(?![a-z0-9])/gi, '<hex>'],
  [/\d+(?:[.,]\d+)*/g, '<num>'],
];

export function normalizeAlertText(text: string): string {
  let s = text;
  for (const [pattern, replacement] of MASKS) s = s.replace(pattern, replacement);
  return s.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A plain least-recently-used map: `get` refreshes an entry, `set` evicts the oldest. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  private evictionCount = 0;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  get size(): number {
    return this.map.size;
  }

  get evictions(): number {
    return this.evictionCount;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  get(key: K): V | undefined {
    if (!this.map.has(key)) return undefined;
    const value = this.map.get(key) as V;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value as K;
      this.map.delete(oldest);
      this.evictionCount++;
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  /** Keys from least to most recently used. */
  keys(): K[] {
    return [...this.map.keys()];
  }
}

/** LRU of embeddings keyed by {@link normalizeAlertText}. */
export class EmbeddingCache {
  private readonly lru: LruCache<string, Float32Array>;

  constructor(maxEntries = 10_000) {
    this.lru = new LruCache(maxEntries);
  }

  static keyOf(text: string): string {
    return normalizeAlertText(text);
  }

  get maxEntries(): number {
    return this.lru.maxEntries;
  }

  get size(): number {
    return this.lru.size;
  }

  get evictions(): number {
    return this.lru.evictions;
  }

  /** Looks up by an already-normalised key. */
  getByKey(key: string): Float32Array | undefined {
    return this.lru.get(key);
  }

  setByKey(key: string, vector: Float32Array): void {
    this.lru.set(key, vector);
  }

  get(text: string): Float32Array | undefined {
    return this.lru.get(EmbeddingCache.keyOf(text));
  }

  set(text: string, vector: Float32Array): void {
    this.lru.set(EmbeddingCache.keyOf(text), vector);
  }

  clear(): void {
    this.lru.clear();
  }
}
