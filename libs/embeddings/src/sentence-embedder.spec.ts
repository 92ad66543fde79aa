/**
 * @jest-environment <rootDir>/libs/embeddings/testing/onnx-jest-environment.js
 */
// Runs the REAL all-MiniLM-L6-v2 (fp32 ONNX) from the local models folder; nothing is downloaded.
// Needs `npm run models:fetch` first (the error says so when the model is missing).
import { env } from '@huggingface/transformers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import reference from './__fixtures__/minilm-reference.json';
import { ModelNotFoundError } from './model-location';
import { SentenceEmbedder } from './sentence-embedder';
import { cosineSimilarity, l2Norm } from './vector-similarity';

describe('SentenceEmbedder (real model)', () => {
  let embedder: SentenceEmbedder;

  beforeAll(async () => {
    embedder = await SentenceEmbedder.load();
  }, 120_000);

  afterAll(async () => {
    await embedder?.dispose();
  });

  it('loads locally only, with 384 dimensions', () => {
    expect(embedder.dimension).toBe(384);
    expect(env.allowRemoteModels).toBe(false);
    expect(embedder.modelId).toBe('Xenova/all-MiniLM-L6-v2');
  });

  it('puts the two disk-space alerts closest together', async () => {
    const [disk, noSpace, tls] = await embedder.embed([
      'disk full on /var',
      'no space left on device',
      'TLS certificate expired',
    ]);
    const diskNoSpace = cosineSimilarity(disk, noSpace);
    expect(diskNoSpace).toBeGreaterThan(cosineSimilarity(disk, tls));
    expect(diskNoSpace).toBeGreaterThan(cosineSimilarity(noSpace, tls));
  });

  it('returns unit-norm float32 vectors of the model dimension', async () => {
    const vectors = await embedder.embed(['a', 'High CPU on payments-api', '']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(384);
      expect(l2Norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('matches an independent reference computed from the original PyTorch weights', async () => {
    // see __fixtures__/minilm-reference.json "howComputed"
    const vectors = await embedder.embed(reference.sentences.map((s) => s.text));
    reference.sentences.forEach((ref, i) => {
      expect(vectors[i]).toHaveLength(ref.embedding.length);
      expect(cosineSimilarity(vectors[i], ref.embedding)).toBeGreaterThan(0.99999);
      let maxDiff = 0;
      ref.embedding.forEach((x, k) => (maxDiff = Math.max(maxDiff, Math.abs(x - vectors[i][k]))));
      expect(maxDiff).toBeLessThan(1e-5); // measured ~1.5e-7 (fixture rounds to 1e-7)
    });
  });

  it('gives the same vector alone and inside a padded batch', async () => {
    const texts = Array.from({ length: 40 }, (_, i) =>
      i % 3 === 0
        ? `short alert ${i}`
        : `a considerably longer alert text number ${i} with more tokens in it`,
    );
    const batched = await embedder.embed(texts);
    const [alone] = await embedder.embed([texts[3]]);
    expect(batched).toHaveLength(40);
    expect(cosineSimilarity(alone, batched[3])).toBeGreaterThan(0.99999);
  });

  it('counts tokens with the special ones, as usage reports them', () => {
    // [CLS] disk full [SEP] = 4 and [CLS] hello [SEP] = 3
    expect(embedder.countTokens(['disk full', 'hello'])).toBe(7);
  });

  it('returns nothing for no input', async () => {
    await expect(embedder.embed([])).resolves.toEqual([]);
  });

  it('tells how to fetch a model that is not there', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vigil-no-models-'));
    try {
      await expect(SentenceEmbedder.load({ modelsDir: empty })).rejects.toThrow(ModelNotFoundError);
      await expect(SentenceEmbedder.load({ modelsDir: empty })).rejects.toThrow(
        /npm run models:fetch/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
