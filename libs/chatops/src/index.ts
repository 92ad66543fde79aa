export * from './slack-signature';
export * from './slack-decisions';
export * from './slack-text';
export * from './slack-request-body';
export * from './incident-card';
export * from './card-schedule';
export * from './vigil-command-answers';
export * from './user-roles';
