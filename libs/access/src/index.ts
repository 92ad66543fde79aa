export * from './role-permissions';
export * from './password-hash';
export * from './session-store';
export * from './local-users';
