export * from './json-request';
export * from './testing/fake-request';
