export * from './label-matchers';
export * from './policy-error';
export * from './silences';
export * from './maintenance-windows';
export * from './inhibition-rules';
export * from './alert-policy-state';
export * from './alert-verdict';
export { checkTimeZone } from './zoned-time';
