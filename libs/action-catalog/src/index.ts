export * from './action-catalog';
