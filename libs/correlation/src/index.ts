export * from './alert-fingerprint';
