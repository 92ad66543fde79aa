/** An expected failure with a message meant for the user (no stack trace needed). */
export class InfraError extends Error {}
