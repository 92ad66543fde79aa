export * from './action-catalog';
export * from './known-good-runbooks';
export * from './runbook-draft';
export * from './known-good-retry';
export * from './plan-headline';
export * from './evidence-signatures';
