export * from './plan-run';
export * from './commands';
export * from './event-ids';
export { rebuild, startRun } from './rebuild';
export { next } from './next-command';
export { EngineError, type Recorded, record } from './record-result';
export { type CircuitRecorded, rebuildCircuit, recordCircuit } from './circuit';
export { executionRecords } from './execution-records';
export { stepDone } from './plan-progress';
