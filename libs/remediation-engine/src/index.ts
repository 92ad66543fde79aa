export * from './plan-run';
export * from './commands';
export * from './event-ids';
export { rebuild, startRun } from './rebuild';
export { next } from './next-command';
export { EngineError, type Recorded, record } from './record-result';
export { type CircuitRecorded, rebuildCircuit, recordCircuit } from './circuit';
export { executionRecords } from './execution-records';
export { stepDone } from './plan-progress';
export { readVerdict, type DecodedVerdict } from './event-detail';
export { canonicalJson, planContent, planContentHash } from './plan-content';
export * from './decision-signature';
export * from './plan-admission';
export {
  guardrailHistory,
  planRetainMs,
  rebuildRuns,
  runForgettable,
  stalledRetryDelayMs,
} from './guardrail-history';
