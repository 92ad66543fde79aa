export * from './shop-http-client';
export * from './shop-instances';
export * from './shop-chaos';
export * from './load-generator';
export * from './load-spike';
