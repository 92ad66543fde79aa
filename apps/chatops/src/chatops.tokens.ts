export const CHATOPS_CONFIG = Symbol('CHATOPS_CONFIG');
export const CHATOPS_LOGGER = Symbol('CHATOPS_LOGGER');
