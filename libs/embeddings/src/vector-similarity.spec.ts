import { cosineSimilarity, dotProduct, l2Norm } from './vector-similarity';

describe('vector similarity', () => {
  it('computes cosine similarity', () => {
    expect(cosineSimilarity([1, 0], [0, 1])).toBeCloseTo(0);
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(-1, 0))).toBeCloseTo(-1);
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(24 / 25);
  });

  it('treats a zero vector as dissimilar to everything', () => {
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  });

  it('rejects vectors of different lengths', () => {
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
    expect(() => dotProduct([1], [1, 2])).toThrow(RangeError);
  });

  it('has dot product and norm helpers', () => {
    expect(dotProduct([1, 2], [3, 4])).toBe(11);
    expect(l2Norm([3, 4])).toBe(5);
  });
});
