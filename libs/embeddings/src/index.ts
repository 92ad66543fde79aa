export * from './embedder';
export * from './sentence-embedder';
export * from './cached-embedder';
export * from './lazy-embedder';
export * from './embedding-cache';
export * from './vector-similarity';
export * from './model-location';
