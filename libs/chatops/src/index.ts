export * from './slack-signature';
export * from './slack-decisions';
export * from './incident-card';
