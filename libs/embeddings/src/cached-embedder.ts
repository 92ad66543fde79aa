import type { Embedder } from './embedder';
import { EmbeddingCache } from './embedding-cache';

export interface CachedEmbedderOptions {
  /** LRU capacity in vectors (384 floats = 1.5 KiB each for MiniLM); default 10 000. */
  maxEntries?: number;
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
 * Wraps an {@link Embedder} with an LRU keyed by the normalised text (see normalizeAlertText).
 * What gets embedded is the normalised text itself, so a vector depends only on its key and not
 * on which variant of a template happened to be seen first.
 */
export class CachedEmbedder implements Embedder {
  private readonly cache: EmbeddingCache;
  private readonly inflight = new Map<string, Promise<Float32Array>>();
  private hitCount = 0;
  private missCount = 0;

  constructor(
    private readonly inner: Embedder,
    options: CachedEmbedderOptions = {},
  ) {
    this.cache = new EmbeddingCache(options.maxEntries ?? 10_000);
  }

  get dimension(): number {
    return this.inner.dimension;
  }

  /** Vectors are fresh copies: callers may modify them without touching the cache. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const results: Array<Float32Array | undefined> = new Array(texts.length);
    const toCompute = new Map<string, number[]>();
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
        waits.push(pending.then((v) => void (results[i] = v)));
        return;
      }
      const same = toCompute.get(key);
      if (same) {
        this.hitCount++;
        same.push(i);
      } else {
        this.missCount++;
        toCompute.set(key, [i]);
      }
    });

    if (toCompute.size > 0) {
      const keys = [...toCompute.keys()];
      const run = this.inner.embed(keys);
      keys.forEach((key, j) => {
        const one = run.then((vectors) => vectors[j]);
        one.catch(() => undefined); // the caller below observes the failure
        this.inflight.set(key, one);
      });
      try {
        const vectors = await run;
        keys.forEach((key, j) => {
          this.cache.setByKey(key, vectors[j]);
          for (const i of toCompute.get(key) ?? []) results[i] = vectors[j];
        });
      } finally {
        for (const key of keys) this.inflight.delete(key);
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
