export * from './csv-table';
export * from './telemetry-records';
export * from './entity-metrics';
export * from './span-evidence';
export * from './log-evidence';
export * from './call-record-series';
export * from './event-mix-shift';
export * from './live-log-behaviour';
