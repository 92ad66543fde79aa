export * from './json-request';
