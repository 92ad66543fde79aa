import { z } from 'zod';
import {
  defineEnvConfig,
  envDurationMs,
  envLogLevel,
  envPort,
  HOUR_MS,
  minutesAlias,
} from '@vigil/config';
import { defaultCorrelationConfig, type CorrelationConfig } from '@vigil/correlation';
import { graphSettingsFromEnv, neo4jEnvSchema } from '@vigil/graph';
import { kafkaEnvSchema, kafkaSettingsFromEnv } from '@vigil/messaging';

const positiveMs = (fallbackMs: number) => envDurationMs(fallbackMs, { min: 1 });
const similarity = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a cosine similarity between 0 and 1' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .default(fallback);
const labelList = (fallback: string[]) =>
  z
    .string()
    .default(fallback.join(','))
    .transform((value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );

/** `[{"match": {"source": "ids"}, "timeoutMs": 900000}]`: a resolve timeout per source or labels. */
const resolveTimeoutRules = z
  .string()
  .default('[]')
  .transform((text, ctx) => {
    const rules = z.array(
      z.strictObject({
        match: z.record(z.string().min(1), z.string()),
        timeoutMs: z.number().int().min(1),
      }),
    );
    try {
      return rules.parse(JSON.parse(text));
    } catch {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be a JSON array of {"match": {"<field or label>": "<value>"}, "timeoutMs": <ms>}',
      });
      return z.NEVER;
    }
  });

export const correlatorEnvSchema = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  CORRELATOR_PORT: envPort(3102).describe('HTTP port (/metrics, /healthz).'),
  CORRELATOR_GROUP: z
    .string()
    .min(1)
    .default('vigil-correlator')
    .describe('Kafka consumer group of the clusterer; the router uses <group>-router.'),
  CORRELATION_WINDOW_MS: positiveMs(defaultCorrelationConfig.windowMs).describe(
    'An incident accepts new alerts until this long after its latest new alert.',
  ),
  CORRELATION_REOPEN_MS: positiveMs(defaultCorrelationConfig.reopenWindowMs).describe(
    'How long after it resolved an incident reopens for its alerts firing again (flapping).',
  ),
  CORRELATION_RELATED_GAP_MS: positiveMs(defaultCorrelationConfig.relatedStartGapMs).describe(
    "Alerts on related services (dependency, host) join when they start within this long of the incident's onset.",
  ),
  CORRELATION_TEXT_THRESHOLD: similarity(defaultCorrelationConfig.textSimilarityThreshold).describe(
    'Cosine similarity above which alert texts count as saying the same thing.',
  ),
  CORRELATION_SAME_ENTITY_THRESHOLD: similarity(
    defaultCorrelationConfig.sameEntityTextThreshold,
  ).describe(
    'Similarity at which an alert joins an incident on its own service or host whatever the time (a slow precursor).',
  ),
  CORRELATION_MAX_HOPS: z.coerce
    .number()
    .int()
    .min(0)
    .max(6, 'must be from 0 to 6')
    .default(defaultCorrelationConfig.dependencyMaxHops)
    .describe(
      'Dependency hops (CALLS / DEPENDS_ON, either direction) within which services are related.',
    ),
  CORRELATION_SCOPE_LABELS: labelList(defaultCorrelationConfig.scopeLabels).describe(
    'Labels whose value separates correlation scopes (first present wins), e.g. tenants.',
  ),
  CORRELATION_HOST_LABELS: labelList(defaultCorrelationConfig.hostLabels).describe(
    "Labels naming the host or node an alert is about, tied to the topology's RUNS_ON edges.",
  ),
  CORRELATION_RESOLVE_TIMEOUT_MS: positiveMs(defaultCorrelationConfig.resolveTimeoutMs).describe(
    'A firing alert without an endsAt of its own resolves when it is not sent again within this long.',
  ),
  CORRELATION_RESOLVE_TIMEOUTS: resolveTimeoutRules.describe(
    'Resolve timeouts for some alerts, first match wins: JSON [{"match": {"source": "ids"}, "timeoutMs": 900000}]; match keys are source, service, alertname, severity or labels.',
  ),
  CORRELATION_INCIDENT_MAX_AGE_MS: positiveMs(defaultCorrelationConfig.incidentMaxAgeMs).describe(
    'An incident closes this long after it opened; alerts still firing then start a new one.',
  ),
  CORRELATION_RETENTION_MS: positiveMs(defaultCorrelationConfig.retentionMs).describe(
    'A resolved incident is forgotten this long after its last activity (an alert re-sent later starts a new one), and so is an alert this long after it ended, even in an incident still open (it stays in the alert count; set below the chronic age or the flap window, an alert back after that starts a new run of trouble).',
  ),
  CORRELATION_CHRONIC_AFTER_MS: positiveMs(defaultCorrelationConfig.chronicAfterMs).describe(
    'An alert firing (or coming back) for this long is chronic: alone, it does not pull new alerts on its service into its incident.',
  ),
  CORRELATOR_EXPIRY_INTERVAL_MS: envDurationMs(5000, { min: 100 }).describe(
    'How often the clusterer resolves alerts past their endsAt or resolve timeout when no alert arrives.',
  ),
  // Each snapshot is a partition's whole state (an alert's vector alone is 2 KiB of base64),
  // encoded and gzipped: once a second, under steady load that is megabytes of strings and buffers
  // a second for the collector (the soak's correlator held 10 to 180 MiB of buffers, its RSS
  // swinging with them). A crash replays at most this much of the input, as Kafka Streams' commit
  // interval (30 s by default) bounds its replay.
  CORRELATOR_SNAPSHOT_INTERVAL_MS: envDurationMs(5000, { min: 50 }).describe(
    'How often the clusterer writes its state to the changelog topic (a crash replays the input since).',
  ),
  CORRELATOR_TOPOLOGY_REFRESH_MS: envDurationMs(30_000, { min: 1000 }).describe(
    'How often the topology is re-read from Neo4j.',
  ),
  CORRELATOR_OBSERVED_EDGE_MAX_AGE_MS: positiveMs(24 * HOUR_MS).describe(
    'A CALLS edge known only from spans is dropped this long after its last observed call.',
  ),
  CORRELATOR_START_AT: z
    .enum(['earliest', 'latest'], { error: 'must be earliest or latest' })
    .default('earliest')
    .describe(
      'Where a new consumer group starts: earliest replays the topic, latest takes only new alerts.',
    ),
  VIGIL_MODELS_DIR: z
    .string()
    .optional()
    .describe('Folder of the local models (embeddings); unset: .vigil/models in the repository.'),
  LOG_LEVEL: envLogLevel,
});

function correlationSettings(env: z.output<typeof correlatorEnvSchema>): CorrelationConfig {
  return {
    ...defaultCorrelationConfig,
    windowMs: env.CORRELATION_WINDOW_MS,
    reopenWindowMs: env.CORRELATION_REOPEN_MS,
    relatedStartGapMs: env.CORRELATION_RELATED_GAP_MS,
    textSimilarityThreshold: env.CORRELATION_TEXT_THRESHOLD,
    sameEntityTextThreshold: env.CORRELATION_SAME_ENTITY_THRESHOLD,
    dependencyMaxHops: env.CORRELATION_MAX_HOPS,
    scopeLabels: env.CORRELATION_SCOPE_LABELS,
    hostLabels: env.CORRELATION_HOST_LABELS,
    resolveTimeoutMs: env.CORRELATION_RESOLVE_TIMEOUT_MS,
    resolveTimeouts: env.CORRELATION_RESOLVE_TIMEOUTS,
    incidentMaxAgeMs: env.CORRELATION_INCIDENT_MAX_AGE_MS,
    chronicAfterMs: env.CORRELATION_CHRONIC_AFTER_MS,
    retentionMs: env.CORRELATION_RETENTION_MS,
  };
}

/** What the correlator runs with: read once from the environment. */
export const correlatorSettingsSchema = correlatorEnvSchema.transform((env) => ({
  logLevel: env.LOG_LEVEL,
  kafka: kafkaSettingsFromEnv(env, 'correlator'),
  graph: graphSettingsFromEnv(env),
  port: env.CORRELATOR_PORT,
  group: env.CORRELATOR_GROUP,
  startAt: env.CORRELATOR_START_AT,
  correlation: correlationSettings(env),
  snapshotIntervalMs: env.CORRELATOR_SNAPSHOT_INTERVAL_MS,
  expiryIntervalMs: env.CORRELATOR_EXPIRY_INTERVAL_MS,
  topologyRefreshMs: env.CORRELATOR_TOPOLOGY_REFRESH_MS,
  observedEdgeMaxAgeMs: env.CORRELATOR_OBSERVED_EDGE_MAX_AGE_MS,
  modelsDir: env.VIGIL_MODELS_DIR,
}));
export type CorrelatorSettings = z.output<typeof correlatorSettingsSchema>;

export const correlatorEnv = defineEnvConfig({
  app: 'correlator',
  schema: correlatorSettingsSchema,
  aliases: [
    minutesAlias('CORRELATION_WINDOW_MINUTES', 'CORRELATION_WINDOW_MS'),
    minutesAlias('CORRELATION_REOPEN_MINUTES', 'CORRELATION_REOPEN_MS'),
    minutesAlias('CORRELATION_RELATED_GAP_MINUTES', 'CORRELATION_RELATED_GAP_MS'),
    minutesAlias('CORRELATOR_OBSERVED_EDGE_MAX_AGE_MINUTES', 'CORRELATOR_OBSERVED_EDGE_MAX_AGE_MS'),
  ],
});
