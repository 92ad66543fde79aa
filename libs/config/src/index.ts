export * from './load-config';
export * from './env-types';
export * from './env-duration';
export * from './env-prefix';
export * from './decision-signing-env';
export * from './deprecated-env-aliases';
export * from './env-docs';
export * from './signing-key-file';
