export * from './graph-settings';
export * from './neo4j-connection';
export * from './graph-schema';
export * from './topology-repository';
export * from './incident-store.repository';
export * from './graph.module';
export * from './subgraph-text-view';
export * from './observed-calls';
// Tests, specs and benchmarks: a run's own part of Neo4j, cleaned up after; the repository in memory.
export * from './testing/graph-test-scope';
export * from './testing/in-memory-topology-repository';
