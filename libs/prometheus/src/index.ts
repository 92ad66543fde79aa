export * from './promql-selector';
export * from './query-range-response';
export * from './prometheus-client';
export * from './prometheus-source-settings';
export * from './neighbourhood-metrics';
export * from './prometheus-env';
export * from './prometheus-evidence';
