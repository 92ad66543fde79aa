export * from './graph-settings';
export * from './neo4j-connection';
export * from './graph-schema';
export * from './topology-repository';
export * from './graph.module';
export * from './subgraph-text-view';
export * from './observed-calls';
