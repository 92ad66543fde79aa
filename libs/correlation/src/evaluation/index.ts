export * from './grouping-metrics';
export * from './baseline-groupings';
