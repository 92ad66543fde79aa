import { CachedEmbedder } from './cached-embedder';
import type { Embedder } from './embedder';

/** Deterministic fake: vector = [length of text, call number]. Records what it was asked. */
class FakeEmbedder implements Embedder {
  readonly dimension = 2;
  readonly calls: string[][] = [];
  failNext = false;
  private gate: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release();
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls.push([...texts]);
    const n = this.calls.length;
    await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('model failed');
    }
    return texts.map((t) => Float32Array.of(t.length, n));
  }
}

describe('CachedEmbedder', () => {
  it('embeds each normalised template once and counts hits and misses', async () => {
    const fake = new FakeEmbedder();
    const cached = new CachedEmbedder(fake, { maxEntries: 100 });

    const first = await cached.embed(['CPU 91% on web-1', 'cpu 97% on web-2', 'disk full on /var']);
    expect(fake.calls).toEqual([['CPU 91% on web-1', 'disk full on /var']]);
    expect(first[0]).toEqual(first[1]);
    expect(cached.stats()).toMatchObject({ hits: 1, misses: 2, size: 2 });

    const second = await cached.embed(['Disk  FULL on /var', 'CPU 5% on web-3']);
    expect(fake.calls).toHaveLength(1);
    expect(second[0]).toEqual(first[2]);
    const stats = cached.stats();
    expect(stats).toMatchObject({ hits: 3, misses: 2 });
    expect(stats.hitRate).toBeCloseTo(0.6);
    expect(cached.dimension).toBe(2);
  });

  it('can embed the normalised key instead of the first-seen text', async () => {
    const fake = new FakeEmbedder();
    const cached = new CachedEmbedder(fake, { embedText: 'normalized' });
    const [a, b] = await cached.embed(['CPU 91% on web-1', 'CPU 5% on web-22']);
    expect(fake.calls).toEqual([['cpu <num>% on web-<num>']]);
    expect(a).toEqual(b);
  });

  it('returns copies so callers cannot corrupt the cache', async () => {
    const cached = new CachedEmbedder(new FakeEmbedder());
    const [a] = await cached.embed(['x']);
    a[0] = 999;
    const [b] = await cached.embed(['x']);
    expect(b[0]).toBe(1);
  });

  it('evicts least recently used keys', async () => {
    const fake = new FakeEmbedder();
    const cached = new CachedEmbedder(fake, { maxEntries: 2 });
    await cached.embed(['a']);
    await cached.embed(['b']);
    await cached.embed(['a']); // refresh a
    await cached.embed(['c']); // evicts b
    expect(cached.stats()).toMatchObject({ evictions: 1, size: 2 });
    await cached.embed(['a']);
    expect(fake.calls.flat()).toEqual(['a', 'b', 'c']);
    await cached.embed(['b']);
    expect(fake.calls.flat()).toEqual(['a', 'b', 'c', 'b']);
  });

  it('shares an in-flight computation between concurrent callers', async () => {
    const fake = new FakeEmbedder();
    const cached = new CachedEmbedder(fake);
    fake.hold();
    const p1 = cached.embed(['alert 1']);
    const p2 = cached.embed(['alert 2', 'other']);
    fake.open();
    const [[a], [b, other]] = await Promise.all([p1, p2]);
    expect(a).toEqual(b);
    expect(fake.calls).toEqual([['alert 1'], ['other']]);
    expect(other[0]).toBe(5);
    expect(cached.stats()).toMatchObject({ hits: 1, misses: 2 });
  });

  it('does not cache failures', async () => {
    const fake = new FakeEmbedder();
    const cached = new CachedEmbedder(fake);
    fake.failNext = true;
    await expect(cached.embed(['boom'])).rejects.toThrow('model failed');
    await expect(cached.embed(['boom'])).resolves.toHaveLength(1);
    expect(fake.calls).toHaveLength(2);
  });

  it('handles an empty input', async () => {
    const fake = new FakeEmbedder();
    await expect(new CachedEmbedder(fake).embed([])).resolves.toEqual([]);
    expect(fake.calls).toHaveLength(0);
  });
});
