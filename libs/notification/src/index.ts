export * from './notification-event';
export * from './routing';
export * from './vendor-requests';
export * from './delivery';
