export * from './execution-adapter';
export * from './adapter-router';
export * from './webhook-signature';
export * from './http-webhook-adapter';
export * from './idempotency-ledger';
export * from './local-process-config';
export * from './local-process-adapter';
export * from './scrape-targets';
