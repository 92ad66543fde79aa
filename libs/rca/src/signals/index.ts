export * from './robust-statistics';
export * from './change-point';
export * from './metric-change-scorer';
export * from './time-value-ring';
export * from './online-metric-detector';
export * from './log-template-miner';
export * from './error-rate-tracker';
export * from './log-anomaly-detector';
