export * from './shop-catalogue';
export * from './request-window';
export * from './fault-state';
export * from './persisted-state';
export * from './call-tally';
export * from './shop-process-config';
export * from './chaos-scenarios';
