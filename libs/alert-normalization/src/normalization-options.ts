/** What the normalizers need from outside: the clock and where to look for the service name. */
export interface NormalizationOptions {
  /** Stamps `receivedAt`; injected so tests and replays are deterministic. */
  now: () => Date;
  /** Label names tried in order for the service; see `defaultServiceLabels`. */
  serviceLabels: readonly string[];
}
