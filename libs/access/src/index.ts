export * from './role-permissions';
export * from './password-hash';
export * from './session-store';
export * from './local-users';
export * from './sign-in-throttle';
export * from './oidc-identity';
export * from './expiring-map';
export * from './stream-slots';
