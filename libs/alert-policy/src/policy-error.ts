/** A silence, window or rule that cannot be accepted; the message says why. */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}
