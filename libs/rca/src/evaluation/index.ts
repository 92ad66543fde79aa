export * from './ranking-metrics';
export * from './baseline-rankers';
export * from './rcaeval-case';
export * from './nezha-labels';
