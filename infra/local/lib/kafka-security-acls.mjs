// Who may do what on the secured Kafka: one SCRAM principal per Vigil service, least privilege.
// This table is the one place the ACLs come from; docs/kafka-security.md prints it, and
// test/security/kafka-auth.test.ts checks it against the topic registry of libs/contracts.
//
// Rules derived from the table, not written in it:
// - every principal that consumes may write vigil.dlq.v1 (a consumer parks what it cannot process);
// - every principal may DESCRIBE and CREATE topics named vigil.* (each app runs ensureTopics at
//   start), and CREATE the other topics it reads or writes (the OTLP topics); reading and writing
//   stay per topic;
// - each principal may use the consumer groups that start with its prefixes (READ, DESCRIBE,
//   DELETE): `<APP>_GROUP` must keep its default prefix on a secured cluster;
// - `all-in-one` (every service in one process) gets the union of the Vigil services';
// - `admin` is a super user: the launcher's readiness check, ACL set-up and the operator's CLI.

const T = {
  alertsRaw: 'vigil.alerts.raw.v1',
  logs: 'vigil.logs.v1',
  metrics: 'vigil.metrics.v1',
  topology: 'vigil.topology.v1',
  spans: 'vigil.spans.v1',
  traces: 'vigil.traces.v1',
  anomalies: 'vigil.anomalies.v1',
  incidents: 'vigil.incidents.v1',
  incidentActions: 'vigil.incident-actions.v1',
  incidentFeedback: 'vigil.incident-feedback.v1',
  alertPolicy: 'vigil.alert-policy.v1',
  rca: 'vigil.rca.v1',
  plans: 'vigil.remediation.plans.v1',
  decisions: 'vigil.remediation.decisions.v1',
  executions: 'vigil.remediation.executions.v1',
  serviceLeases: 'vigil.service-leases.v1',
  scopedAlerts: 'vigil.correlator.scoped-alerts.v1',
  changelog: 'vigil.correlator.changelog.v1',
  dlq: 'vigil.dlq.v1',
  // written by the OpenTelemetry Collector's Kafka exporter in its own format (ForeignTopics)
  otlpSpans: 'otlp_spans',
  otlpLogs: 'otlp_logs',
};

/** What the incident board of the console and Slack folds (libs/incident-view boardFeeds). */
const BOARD = [T.incidents, T.rca, T.plans, T.decisions, T.executions, T.incidentActions];

/** Temporary groups of readTopicToEnd / readLatestByKey (libs/messaging changelog-reader). */
const REPLAY_GROUPS = 'vigil-changelog-reader-';

export const ADMIN_PRINCIPAL = 'admin';
export const ALL_IN_ONE_PRINCIPAL = 'all-in-one';

/** principal -> topics it writes, topics it reads, consumer-group prefixes. */
export const SERVICE_ACCESS = {
  ingest: { writes: [T.alertsRaw], reads: [], groups: [] },
  correlator: {
    writes: [T.scopedAlerts, T.changelog, T.incidents],
    reads: [T.alertsRaw, T.alertPolicy, T.incidentFeedback, T.scopedAlerts, T.changelog],
    groups: ['vigil-correlator', REPLAY_GROUPS],
  },
  'topology-sync': {
    writes: [],
    reads: [T.topology, T.spans, ...BOARD],
    groups: ['vigil-topology-sync', 'vigil-history'],
  },
  // Also turns the Collector's OTLP into trace spans, call spans and log records (SIGNALS_OTLP_IN).
  signals: {
    writes: [T.anomalies, T.traces, T.spans, T.logs],
    reads: [T.logs, T.metrics, T.otlpSpans, T.otlpLogs],
    groups: ['vigil-signals'],
  },
  // Reads its own rankings too: an instance that takes an incident over goes on from its revision.
  rca: {
    writes: [T.rca],
    reads: [T.alertsRaw, T.anomalies, T.incidents, T.logs, T.metrics, T.spans, T.traces, T.rca],
    groups: ['vigil-rca'],
  },
  planner: {
    writes: [T.plans],
    reads: [T.incidents, T.rca, T.plans, T.executions],
    groups: ['vigil-planner', REPLAY_GROUPS],
  },
  // The only writer of the audit trail; releases it makes go to the topology; its instances
  // compete for the single-active lease.
  executor: {
    writes: [T.executions, T.topology, T.serviceLeases],
    reads: [
      T.incidents,
      T.incidentActions,
      T.alertPolicy,
      T.plans,
      T.decisions,
      T.executions,
      T.serviceLeases,
    ],
    groups: ['vigil-executor', REPLAY_GROUPS],
  },
  // People decide only through the console and Slack.
  console: {
    writes: [T.decisions, T.incidentActions, T.alertPolicy, T.incidentFeedback],
    reads: [...BOARD, T.alertPolicy],
    groups: ['vigil-console'],
  },
  // Writes silences, but shows none: it does not read the policy.
  chatops: {
    writes: [T.decisions, T.incidentActions, T.alertPolicy],
    reads: BOARD,
    groups: ['vigil-chatops'],
  },
  notifier: { writes: [], reads: [T.incidents, T.incidentActions], groups: ['vigil-notifier'] },
  ruler: { writes: [], reads: [T.metrics], groups: ['vigil-ruler'] },
  // The demo shop stands for any telemetry producer; with SHOP_TRACES_AND_LOGS=otlp_* its traces
  // and logs go through the OpenTelemetry SDK to the Collector's topics.
  'demo-shop': {
    writes: [T.logs, T.metrics, T.spans, T.otlpSpans, T.otlpLogs],
    reads: [],
    groups: [],
  },
  // Not a Vigil service: the OpenTelemetry Collector's Kafka exporter, which only writes OTLP.
  'otel-collector': { writes: [T.otlpSpans, T.otlpLogs], reads: [], groups: [] },
};

/** Producers that are not Vigil services, so not part of all-in-one. */
const OUTSIDE_PRODUCERS = new Set(['demo-shop', 'otel-collector']);

/** Every principal the launcher creates: the services, all-in-one and the admin. */
export function principals() {
  return [...Object.keys(SERVICE_ACCESS), ALL_IN_ONE_PRINCIPAL, ADMIN_PRINCIPAL];
}

/** One service's access with the derived rules applied (dlq for consumers). */
export function effectiveAccess(name) {
  if (name === ALL_IN_ONE_PRINCIPAL)
    return unionAccess(Object.keys(SERVICE_ACCESS).filter((n) => !OUTSIDE_PRODUCERS.has(n)));
  const a = SERVICE_ACCESS[name];
  if (!a) throw new Error(`no Kafka access is defined for ${name}`);
  const writes = a.reads.length > 0 ? [...a.writes, T.dlq] : a.writes;
  return { writes: unique(writes), reads: unique(a.reads), groups: unique(a.groups) };
}

function unionAccess(names) {
  const all = names.map(effectiveAccess);
  return {
    writes: unique(all.flatMap((a) => a.writes)),
    reads: unique(all.flatMap((a) => a.reads)),
    groups: unique(all.flatMap((a) => a.groups)),
  };
}

const unique = (xs) => [...new Set(xs)].sort();

/**
 * The ACL bindings of one principal, as plain records:
 * { resourceType: 'TOPIC'|'GROUP', patternType: 'LITERAL'|'PREFIXED', name, operation }.
 * All are ALLOW for `User:<principal>` from any host.
 */
export function aclBindings(name) {
  const a = effectiveAccess(name);
  const topic = (patternType, resource, operation) => ({
    resourceType: 'TOPIC',
    patternType,
    name: resource,
    operation,
  });
  return [
    topic('PREFIXED', 'vigil.', 'DESCRIBE'),
    topic('PREFIXED', 'vigil.', 'CREATE'),
    ...unique([...a.writes, ...a.reads])
      .filter((t) => !t.startsWith('vigil.'))
      .map((t) => topic('LITERAL', t, 'CREATE')),
    ...a.writes.map((t) => topic('LITERAL', t, 'WRITE')),
    ...a.reads.map((t) => topic('LITERAL', t, 'READ')),
    ...a.groups.flatMap((g) =>
      ['READ', 'DESCRIBE', 'DELETE'].map((operation) => ({
        resourceType: 'GROUP',
        patternType: 'PREFIXED',
        name: g,
        operation,
      })),
    ),
  ];
}

/** Every service principal's bindings (the admin is a super user and needs none). */
export function allAclBindings() {
  return principals()
    .filter((p) => p !== ADMIN_PRINCIPAL)
    .map((principal) => ({ principal, bindings: aclBindings(principal) }));
}
