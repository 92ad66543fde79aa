/**
 * A resolve timeout for the alerts it matches: `match` names alert fields (source, service,
 * alertname, severity) or labels, each with the exact value it must have.
 */
export interface ResolveTimeoutRule {
  match: Record<string, string>;
  timeoutMs: number;
}

/** Tuning of the correlator; every threshold is configuration, measured by `npm run bench:correlation`. */
export interface CorrelationConfig {
  /** An incident accepts new alerts until this long after its latest new alert. */
  windowMs: number;
  /**
   * A resolved incident takes alerts again (it reopens) only this long after it resolved: an
   * alert back within it is flapping; one back later is a new occurrence, of what happens now.
   */
  reopenWindowMs: number;
  /** Alerts on related services (dependency, host) join when they start within this long of the incident's onset. */
  relatedStartGapMs: number;
  /** Alerts on a service the incident already has join when they start within this long of its onset. */
  sameServiceGapMs: number;
  /**
   * Where an alert's time for joining comes from: its `startsAt`, or when Vigil first received it.
   * Sources disagree on startsAt (a certificate "not ready" for days, state-change alarms), while
   * arrival is what a cascade has in common.
   */
  onsetFrom: 'startsAt' | 'received';
  /** A service's later alerts join its incident for as long as the incident is open (slow faults). */
  sameServiceWhileOpen: boolean;
  /**
   * Alerts on related services also count as recent when they start within relatedStartGapMs of
   * the latest new alert on a service next to theirs (a precursor that just turned acute).
   */
  neighbourFrontier: boolean;
  /**
   * Similarity at which an alert joins an incident on its own service or host whatever the time: a
   * slow precursor (disk filling, certificate expiring) and the failure it turns into.
   */
  sameEntityTextThreshold: number;
  /** Only a host alert that reads like a failure explains the alerts of what runs on the host. */
  hostFailureOnly: boolean;
  /** Incidents merge when an alert relates to both within this many hops. */
  mergeMaxHops: number;
  /** Cosine similarity above which alert texts count as saying the same thing. */
  textSimilarityThreshold: number;
  /** Margin (symptom minus local-condition prototype similarity) above which an alert reads like a propagated failure. */
  symptomThreshold: number;
  /** Similarity at which symptoms join without any topology relation (a shared cause such as DNS). */
  textOnlyThreshold: number;
  /** Dependency hops (CALLS / DEPENDS_ON, either direction) within which services are related. */
  dependencyMaxHops: number;
  /**
   * Labels whose value separates correlation scopes (first present wins), e.g. tenants: the Kafka
   * key of the correlator's work, so scopes spread over instances. Alerts without them share one.
   */
  scopeLabels: string[];
  /**
   * Labels whose different values keep alerts apart (two clusters with the same outage), while an
   * alert without the label (a database VM outside any cluster) may join either.
   */
  separatingLabels: string[];
  /** Labels naming the host or node an alert is about, tied to the topology's RUNS_ON edges. */
  hostLabels: string[];
  /** Embeddings kept per incident to compare new alerts with. */
  maxExemplarsPerIncident: number;
  /** Beyond that, embeddings kept per service of the incident (up to four times the maximum). */
  exemplarsPerService: number;
  /** A direct caller of a failing component joins whatever its alert says, not only symptoms. */
  directUserAnyAlert: boolean;
  /**
   * Incidents are forgotten this long after their last activity (beyond Alertmanager's repeat
   * interval), and alerts this long after they ended, even in an incident still open.
   */
  retentionMs: number;
  /**
   * A firing alert without an `endsAt` of its own resolves when it is not re-sent within this long
   * (Alertmanager's resolve_timeout): most log- and IDS-derived alerts never send a resolve.
   */
  resolveTimeoutMs: number;
  /** Resolve timeouts for particular sources or labels; the first rule that matches wins. */
  resolveTimeouts: ResolveTimeoutRule[];
  /** An incident closes this long after it opened; what still fires then starts a new one. */
  incidentMaxAgeMs: number;
  /**
   * An alert seen for this long counts as chronic: an incident held only by chronic or flapping
   * alerts takes a new, different alert only on evidence of its own (text, timely topology).
   */
  chronicAfterMs: number;
  /** An alert that changes between firing and resolved this many times ... */
  flapTransitions: number;
  /** ... within this long is flapping. */
  flapWindowMs: number;
}

export const defaultCorrelationConfig: CorrelationConfig = {
  windowMs: 30 * 60_000,
  reopenWindowMs: 2 * 60_000,
  relatedStartGapMs: 5 * 60_000,
  sameServiceGapMs: 15 * 60_000,
  onsetFrom: 'startsAt',
  sameServiceWhileOpen: false,
  mergeMaxHops: 1,
  neighbourFrontier: true,
  sameEntityTextThreshold: 0.6,
  hostFailureOnly: true,
  textSimilarityThreshold: 0.7,
  symptomThreshold: 0,
  textOnlyThreshold: 0.8,
  dependencyMaxHops: 2,
  scopeLabels: ['tenant'],
  separatingLabels: ['cluster', 'region', 'environment', 'env'],
  hostLabels: ['node', 'host', 'hostname', 'nodename'],
  maxExemplarsPerIncident: 16,
  exemplarsPerService: 2,
  directUserAnyAlert: false,
  retentionMs: 6 * 60 * 60_000,
  resolveTimeoutMs: 5 * 60_000,
  resolveTimeouts: [],
  incidentMaxAgeMs: 24 * 60 * 60_000,
  chronicAfterMs: 60 * 60_000,
  flapTransitions: 4,
  flapWindowMs: 30 * 60_000,
};

export function correlationConfig(overrides: Partial<CorrelationConfig> = {}): CorrelationConfig {
  return { ...defaultCorrelationConfig, ...overrides };
}
