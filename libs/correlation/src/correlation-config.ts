/** Tuning of the correlator; every threshold is configuration, measured by `npm run bench:correlation`. */
export interface CorrelationConfig {
  /** An incident accepts new alerts until this long after its latest new alert. */
  windowMs: number;
  /** Alerts on related services join when they start within this long of the incident's latest alert. */
  relatedStartGapMs: number;
  /** Cosine similarity above which alert texts count as saying the same thing. */
  textSimilarityThreshold: number;
  /** Dependency hops (CALLS / DEPENDS_ON, either direction) within which services are related. */
  dependencyMaxHops: number;
  /** Labels whose value separates correlation scopes (first present wins), e.g. clusters. */
  scopeLabels: string[];
  /** Labels naming the host or node an alert is about, tied to the topology's RUNS_ON edges. */
  hostLabels: string[];
  /** Embeddings kept per incident to compare new alerts with. */
  maxExemplarsPerIncident: number;
  /** Incidents are forgotten this long after their last activity (beyond Alertmanager's repeat interval). */
  retentionMs: number;
}

export const defaultCorrelationConfig: CorrelationConfig = {
  windowMs: 30 * 60_000,
  relatedStartGapMs: 10 * 60_000,
  textSimilarityThreshold: 0.7,
  dependencyMaxHops: 2,
  scopeLabels: ['cluster', 'environment', 'env'],
  hostLabels: ['node', 'host', 'hostname', 'nodename'],
  maxExemplarsPerIncident: 16,
  retentionMs: 6 * 60 * 60_000,
};

export function correlationConfig(overrides: Partial<CorrelationConfig> = {}): CorrelationConfig {
  return { ...defaultCorrelationConfig, ...overrides };
}
