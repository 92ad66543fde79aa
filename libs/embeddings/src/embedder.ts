/** Anything that turns texts into fixed-size sentence vectors (one per input, same order). */
export interface Embedder {
  /** Length of every vector returned by {@link Embedder.embed}. */
  readonly dimension: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
