import type { Embedder } from './embedder';
import { EmbeddingCache } from './embedding-cache';

export interface CachedEmbedderOptions {
  /** LRU capacity in vectors (384 floats = 1.5 KiB each for MiniLM); default 10 000. */
  maxEntries?: number;
  /**
   * What is sent to the model on a miss:
   * - 'first-seen' (default): the original text of the first variant of a template that missed;
   *   later variants reuse that vector. Closest to what the bare embedder returns (two variants
   *   of one alert template are ~0.87-0.96 cosine-similar with MiniLM), but a key's vector
   *   depends on which variant came first.
   * - 'normalized': the normalised key itself (numbers/ids/IPs replaced by placeholders); a
   *   key's vector never depends on history, but it sits further from the raw text's vector
   *   (~0.6-0.83 cosine with MiniLM), so do not mix it with uncached vectors.
   */
  embedText?: 'first-seen' | 'normalized';
}

export interface CachedEmbedderStats {
  /** Texts served without a model run (cache, an identical key in the same call, or in flight). */
  readonly hits: number;
  /** Distinct keys that had to be embedded. */
  readonly misses: number;
  readonly evictions: number;
  readonly size: number;
  readonly maxEntries: number;
  /** hits / (hits + misses), 0 when nothing was asked yet. */
  readonly hitRate: number;
}

/**
 * Wraps an {@link Embedder} with an LRU keyed by the normalised text (see normalizeAlertText), so
 * repeated alert templates are embedded once. Concurrent callers share in-flight work.
 */
export class CachedEmbedder implements Embedder {
  private readonly cache: EmbeddingCache;
  private readonly inflight = new Map<string, Promise<Float32Array>>();
  private readonly embedText: 'first-seen' | 'normalized';
  private hitCount = 0;
  private missCount = 0;

  constructor(
    private readonly inner: Embedder,
    options: CachedEmbedderOptions = {},
  ) {
    this.cache = new EmbeddingCache(options.maxEntries ?? 10_000);
    this.embedText = options.embedText ?? 'first-seen';
  }

  get dimension(): number {
    return this.inner.dimension;
  }

  /** Vectors are fresh copies: callers may modify them without touching the cache. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const results: Array<Float32Array | undefined> = new Array(texts.length);
    const toCompute = new Map<string, { text: string; indexes: number[] }>();
    const waits: Array<Promise<void>> = [];

    texts.forEach((text, i) => {
      const key = EmbeddingCache.keyOf(text);
      const cached = this.cache.getByKey(key);
      if (cached) {
        this.hitCount++;
        results[i] = cached;
        return;
      }
      const pending = this.inflight.get(key);
      if (pending) {
        this.hitCount++;
        const wait = pending.then((v) => void (results[i] = v));
        wait.catch(() => undefined); // observed by Promise.all below, if we get there
        waits.push(wait);
        return;
      }
      const same = toCompute.get(key);
      if (same) {
        this.hitCount++;
        same.indexes.push(i);
      } else {
        this.missCount++;
        toCompute.set(key, { text: this.embedText === 'normalized' ? key : text, indexes: [i] });
      }
    });

    if (toCompute.size > 0) {
      const misses = [...toCompute.entries()];
      const run = this.inner.embed(misses.map(([, miss]) => miss.text));
      misses.forEach(([key], j) => {
        const one = run.then((vectors) => vectors[j]);
        one.catch(() => undefined); // the caller below observes the failure
        this.inflight.set(key, one);
      });
      try {
        const vectors = await run;
        if (vectors.length !== misses.length) {
          throw new Error(`embedder returned ${vectors.length} vectors for ${misses.length} texts`);
        }
        misses.forEach(([key, miss], j) => {
          this.cache.setByKey(key, vectors[j]);
          for (const i of miss.indexes) results[i] = vectors[j];
        });
      } finally {
        for (const [key] of misses) this.inflight.delete(key);
      }
    }
    await Promise.all(waits);
    return results.map((v, i) => {
      if (!v) throw new Error(`no embedding produced for input ${i}`);
      return v.slice();
    });
  }

  stats(): CachedEmbedderStats {
    const total = this.hitCount + this.missCount;
    return {
      hits: this.hitCount,
      misses: this.missCount,
      evictions: this.cache.evictions,
      size: this.cache.size,
      maxEntries: this.cache.maxEntries,
      hitRate: total === 0 ? 0 : this.hitCount / total,
    };
  }

  resetStats(): void {
    this.hitCount = 0;
    this.missCount = 0;
  }

  clear(): void {
    this.cache.clear();
  }
}
