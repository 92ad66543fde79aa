import type { Embedder } from '@vigil/embeddings';
import { runQueued } from './chat-generator';
import { GatewayError } from './gateway-error';
import { embeddingsResponse, type EmbeddingsRequest, type EmbeddingsResponse } from './openai-wire';
import type { SerialQueue } from './serial-queue';

/** An embedder that can also say how many tokens it read (for `usage`). */
export interface CountingEmbedder extends Embedder {
  countTokens(texts: readonly string[]): number;
}

/** OpenAI /v1/embeddings over a local sentence embedder, sharing the model queue. */
export class EmbeddingGateway {
  constructor(
    private readonly embedder: CountingEmbedder,
    private readonly queue: SerialQueue,
    private readonly modelIds: readonly string[],
    private readonly timeoutMs: number,
  ) {}

  async embed(request: EmbeddingsRequest): Promise<EmbeddingsResponse> {
    if (!this.modelIds.includes(request.model)) {
      throw GatewayError.unknownModel(request.model, this.modelIds.slice(0, 1));
    }
    if (request.dimensions != null && request.dimensions !== this.embedder.dimension) {
      throw GatewayError.badRequest(
        `dimensions: this model gives ${this.embedder.dimension}, got ${request.dimensions}`,
        'dimensions',
      );
    }
    const texts = typeof request.input === 'string' ? [request.input] : request.input;
    const vectors = await runQueued(this.queue, this.timeoutMs, () => this.embedder.embed(texts));
    return embeddingsResponse({
      model: request.model,
      vectors,
      format: request.encoding_format ?? 'float',
      promptTokens: this.embedder.countTokens(texts),
    });
  }
}
