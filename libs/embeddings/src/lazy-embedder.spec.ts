import { LazyEmbedder } from './lazy-embedder';

describe('LazyEmbedder', () => {
  it('loads the model on first use, once, and embeds with it', async () => {
    let loads = 0;
    const embedder = new LazyEmbedder({
      load: async () => {
        loads++;
        return {
          dimension: 1,
          embed: async (texts) => texts.map((t) => Float32Array.of(t.length)),
        };
      },
    });
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([embedder.embed(['ab']), embedder.embed(['abc'])]);
    expect([a?.[0]?.[0], b?.[0]?.[0]]).toEqual([2, 3]);
    expect(loads).toBe(1);
  });

  it('answers undefined without a model, says why once, and does not try again', async () => {
    const heard: unknown[] = [];
    let loads = 0;
    const embedder = new LazyEmbedder({
      load: async () => {
        loads++;
        throw new Error('model not installed');
      },
      onUnavailable: (error) => heard.push(error),
    });
    expect(await embedder.embed(['a'])).toBeUndefined();
    expect(await embedder.embed(['b'])).toBeUndefined();
    expect(loads).toBe(1);
    expect(heard).toEqual([new Error('model not installed')]);
  });

  it('answers undefined when a run fails, and embeds again after', async () => {
    let fail = true;
    const embedder = new LazyEmbedder({
      load: async () => ({
        dimension: 1,
        embed: async (texts) => {
          if (fail) throw new Error('onnx run failed');
          return texts.map(() => Float32Array.of(1));
        },
      }),
    });
    expect(await embedder.embed(['a'])).toBeUndefined();
    fail = false;
    expect(await embedder.embed(['a'])).toEqual([Float32Array.of(1)]);
  });
});
