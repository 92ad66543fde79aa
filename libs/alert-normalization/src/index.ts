export * from './normalization-options';
export * from './severity-mapping';
export * from './service-resolution';
export * from './alert-fields';
export * from './alertmanager-normalizer';
export * from './generic-alert-normalizer';
