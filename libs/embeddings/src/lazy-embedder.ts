import { CachedEmbedder } from './cached-embedder';
import type { Embedder } from './embedder';
import { SentenceEmbedder, type SentenceEmbedderOptions } from './sentence-embedder';

/**
 * A sentence embedder for services that can do without one (similar past incidents compare words
 * instead): the local MiniLM, cached, loaded on first use rather than at start, so a service that
 * never asks pays neither the load nor the memory. When the model is missing or fails to load,
 * every answer is undefined from then on, and `onUnavailable` hears why once.
 */
export class LazyEmbedder {
  private loading?: Promise<Embedder | undefined>;
  private loaded?: Embedder & { dispose?: () => Promise<void> };

  constructor(
    private readonly options: {
      load?: () => Promise<Embedder & { dispose?: () => Promise<void> }>;
      onUnavailable?: (error: unknown) => void;
    } & SentenceEmbedderOptions = {},
  ) {}

  /** One vector per text, or undefined without a model (or when this run of it failed). */
  async embed(texts: readonly string[]): Promise<Float32Array[] | undefined> {
    const embedder = await this.model();
    if (!embedder) return undefined;
    try {
      return await embedder.embed(texts);
    } catch {
      return undefined;
    }
  }

  async dispose(): Promise<void> {
    await this.loading;
    await this.loaded?.dispose?.();
  }

  private model(): Promise<Embedder | undefined> {
    this.loading ??= this.load().then(
      (embedder) => (this.loaded = embedder),
      (error: unknown) => {
        this.options.onUnavailable?.(error);
        return undefined;
      },
    );
    return this.loading;
  }

  private async load(): Promise<Embedder & { dispose?: () => Promise<void> }> {
    if (this.options.load) return this.options.load();
    const { load: _load, onUnavailable: _onUnavailable, ...sentenceOptions } = this.options;
    const model = await SentenceEmbedder.load(sentenceOptions);
    const cached = new CachedEmbedder(model, { maxEntries: 20_000 });
    return Object.assign(cached, { dispose: () => model.dispose() });
  }
}
