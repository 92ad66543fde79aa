import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from './embedder';
import { DEFAULT_EMBEDDING_MODEL_ID, locateModel, resolveModelsDir } from './model-location';

export interface SentenceEmbedderOptions {
  /** Folder holding `<modelId>/...`; default `$VIGIL_MODELS_DIR`, else `<repo>/.vigil/models`. */
  modelsDir?: string;
  /** Model id = sub-folder of modelsDir; default `Xenova/all-MiniLM-L6-v2`. */
  modelId?: string;
  /** Texts per ONNX run; default 32. */
  batchSize?: number;
  /** onnxruntime intra-op threads; default: onnxruntime's own choice (all cores). */
  intraOpThreads?: number;
  /**
   * onnxruntime's CPU memory arena; default off. The arena keeps the memory of the largest input
   * it has run for good and grows by powers of two with every new largest one (texts of mixed
   * lengths in batches of up to 32: 750 MiB resident after a few thousand texts and still creeping
   * up, against about 490 MiB without it), for about 9% more texts per second.
   */
  memoryArena?: boolean;
}

/**
 * Sentence embeddings (all-MiniLM-L6-v2 by default) through @huggingface/transformers and
 * onnxruntime-node, from a local folder only: remote loading is switched off, nothing is ever
 * downloaded at run time. Output vectors are mean-pooled over tokens and L2-normalised, so the
 * cosine similarity of two of them is their dot product.
 *
 * Note: transformers.js keeps its settings (`env`) module-global; loading sets
 * `env.localModelPath` to this embedder's models folder.
 */
export class SentenceEmbedder implements Embedder {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    readonly modelId: string,
    readonly modelsDir: string,
    readonly dimension: number,
    readonly batchSize: number,
  ) {}

  static async load(options: SentenceEmbedderOptions = {}): Promise<SentenceEmbedder> {
    const modelsDir = resolveModelsDir(options.modelsDir);
    const modelId = options.modelId ?? DEFAULT_EMBEDDING_MODEL_ID;
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    const location = locateModel(modelsDir, modelId);
    const dimension = readHiddenSize(location.modelDir);

    // loaded here, not at import: a process that may never embed (the console until someone asks
    // for similar incidents) does not carry transformers.js, onnxruntime and sharp from the start
    const { env, pipeline } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = modelsDir.endsWith('/') ? modelsDir : `${modelsDir}/`;

    const extractor = await pipeline('feature-extraction', modelId, {
      dtype: 'fp32',
      device: 'cpu',
      local_files_only: true,
      session_options: {
        enableCpuMemArena: options.memoryArena ?? false,
        ...(options.intraOpThreads && { intraOpNumThreads: options.intraOpThreads }),
      },
    });
    return new SentenceEmbedder(extractor, modelId, modelsDir, dimension, batchSize);
  }

  /** One unit-norm vector of length {@link dimension} per text, in input order. */
  embed(texts: readonly string[]): Promise<Float32Array[]> {
    // one ONNX run at a time: the session already uses every core, queuing keeps latency sane
    const run = this.queue.then(() => this.embedNow(texts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Tokens the model reads for these texts (with [CLS]/[SEP], before any truncation to the
   * input window): what an OpenAI-style `usage.prompt_tokens` reports.
   */
  countTokens(texts: readonly string[]): number {
    return texts.reduce((sum, text) => sum + this.extractor.tokenizer.encode(text).length, 0);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.extractor.dispose();
  }

  private async embedNow(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.disposed) throw new Error('SentenceEmbedder has been disposed');
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize);
      const tensor = await this.extractor(batch, { pooling: 'mean', normalize: true });
      const [rows, cols] = tensor.dims;
      const data = tensor.data;
      if (!(data instanceof Float32Array) || rows !== batch.length || cols !== this.dimension) {
        throw new Error(
          `unexpected embedding output: dims [${tensor.dims.join(', ')}], type ${tensor.type}; ` +
            `expected [${batch.length}, ${this.dimension}] float32`,
        );
      }
      for (let r = 0; r < rows; r++) out.push(data.slice(r * cols, (r + 1) * cols));
      tensor.dispose();
    }
    return out;
  }
}

function readHiddenSize(modelDir: string): number {
  const config: unknown = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8'));
  const size = (config as { hidden_size?: unknown }).hidden_size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
    throw new Error(`${join(modelDir, 'config.json')} has no valid hidden_size`);
  }
  return size;
}
