export * from './rca-case';
export * from './signals';
export * from './evaluation';
export * from './causal-graph';
export * from './service-anomaly';
export * from './root-cause-ranker';
export * from './incident-evidence-store';
export * from './rca-result-mapping';
