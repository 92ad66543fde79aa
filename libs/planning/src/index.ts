export * from './plan-draft';
export * from './after-plan-end';
export * from './incident-plan-book';
export * from './plan-book-rebuild';
export * from './known-good-first';
export * from './follow-up-queue';
export * from './signature-draft';
