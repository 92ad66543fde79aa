export * from './rca-case';
export * from './signals';
export * from './evaluation';
