import { z } from 'zod';
import { alertPolicyEventKey, alertPolicyEventSchema } from './schemas/alert-policy.schema';
import { alertSchema } from './schemas/alert.schema';
import { anomalySchema } from './schemas/anomaly.schema';
import { callSpanSchema } from './schemas/call-span.schema';
import { correlatorSnapshotSchema, scopedAlertSchema } from './schemas/correlator-internal.schema';
import { dlqRecordSchema } from './schemas/dlq-record.schema';
import { serviceLeaseSchema } from './schemas/service-lease.schema';
import { incidentActionSchema } from './schemas/incident-action.schema';
import { incidentFeedbackSchema } from './schemas/incident-feedback.schema';
import { incidentEventSchema } from './schemas/incident-event.schema';
import { logRecordSchema } from './schemas/log-record.schema';
import { metricBatchSchema } from './schemas/metric-batch.schema';
import { rcaResultSchema } from './schemas/rca-result.schema';
import {
  remediationDecisionSchema,
  remediationExecutionSchema,
  remediationPlanSchema,
} from './schemas/remediation.schema';
import { topologyEventSchema } from './schemas/topology-event.schema';
import { traceSpanSchema } from './schemas/trace-span.schema';
import type { TopologyEvent } from './schemas/topology-event.schema';

export interface TopicDefinition<S extends z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly schema: S;
  /** The Kafka key: it decides the partition, so everything about one key stays in order. */
  readonly keyOf: (event: z.output<S>) => string;
  readonly partitions: number;
  readonly compacted?: boolean;
  /** Topic-level max.message.bytes, for topics whose records can outgrow the broker's 1 MiB default. */
  readonly maxMessageBytes?: number;
  /** Other topic-level settings applied when the topic is created. */
  readonly extraConfig?: Readonly<Record<string, string>>;
  /**
   * `json` (the default): the value is JSON checked against `schema`. `bytes`: the value is
   * another program's format, and `schema` is applied to the bytes themselves (it decodes them).
   */
  readonly encoding?: 'json' | 'bytes';
}

function topic<S extends z.ZodType>(definition: TopicDefinition<S>): TopicDefinition<S> {
  return definition;
}

/** The changelog key of one consumer group's state for one partition. */
export function snapshotKey(group: string, partition: number): string {
  return `${group}/partition-${partition}`;
}

export function topologyEventKey(event: TopologyEvent): string {
  switch (event.op) {
    case 'entity.upsert':
      return event.entity.id;
    case 'entity.delete':
      return event.entityId;
    default:
      return event.edge.from;
  }
}

/** The one registry of Vigil's topics (docs/ARCHITECTURE.md, "Topics"). */
export const Topics = {
  alertsRaw: topic({
    name: 'vigil.alerts.raw.v1',
    description: 'normalized alerts',
    schema: alertSchema,
    keyOf: (e) => e.fingerprint,
    partitions: 6,
  }),
  logs: topic({
    name: 'vigil.logs.v1',
    description: 'log records',
    schema: logRecordSchema,
    keyOf: (e) => e.service,
    partitions: 6,
  }),
  metrics: topic({
    name: 'vigil.metrics.v1',
    description: 'metric samples',
    schema: metricBatchSchema,
    keyOf: (e) => e.service,
    partitions: 6,
  }),
  topology: topic({
    name: 'vigil.topology.v1',
    description: 'topology upserts and deletes',
    schema: topologyEventSchema,
    keyOf: topologyEventKey,
    partitions: 3,
  }),
  spans: topic({
    name: 'vigil.spans.v1',
    description: 'observed calls between services (span-like), from which CALLS edges are derived',
    schema: callSpanSchema,
    // By caller: one caller's spans stay in order, and every (caller, callee) pair on one partition.
    keyOf: (e) => e.caller,
    partitions: 6,
  }),
  traces: topic({
    name: 'vigil.traces.v1',
    description: 'spans with their parents, as tracers record them: whole traces for RCA',
    schema: traceSpanSchema,
    // By trace, as the Collector's partition_traces_by_id: a trace's spans stay on one partition.
    keyOf: (e) => e.traceId,
    partitions: 6,
  }),
  anomalies: topic({
    name: 'vigil.anomalies.v1',
    description: 'anomaly evidence from logs and metrics',
    schema: anomalySchema,
    keyOf: (e) => e.service,
    partitions: 3,
  }),
  incidents: topic({
    name: 'vigil.incidents.v1',
    description: 'incident lifecycle',
    schema: incidentEventSchema,
    keyOf: (e) => e.incidentId,
    partitions: 3,
  }),
  incidentActions: topic({
    name: 'vigil.incident-actions.v1',
    description: 'acknowledge / resolve by people',
    schema: incidentActionSchema,
    keyOf: (e) => e.incidentId,
    partitions: 3,
  }),
  incidentFeedback: topic({
    name: 'vigil.incident-feedback.v1',
    description: "people's merges and splits of incidents: the correlator applies and learns them",
    schema: incidentFeedbackSchema,
    keyOf: (e) => e.incidentId,
    // One partition, kept for ever: every correlator reads the whole history, in order, as its memory.
    partitions: 1,
    extraConfig: { 'retention.ms': '-1' },
  }),
  rca: topic({
    name: 'vigil.rca.v1',
    description: 'ranked root-cause candidates',
    schema: rcaResultSchema,
    keyOf: (e) => e.incidentId,
    partitions: 3,
  }),
  remediationPlans: topic({
    name: 'vigil.remediation.plans.v1',
    description: 'drafted runbooks',
    schema: remediationPlanSchema,
    keyOf: (e) => e.incidentId,
    partitions: 3,
  }),
  remediationDecisions: topic({
    name: 'vigil.remediation.decisions.v1',
    description: 'approve / reject / cancel decisions',
    schema: remediationDecisionSchema,
    keyOf: (e) => e.planId,
    partitions: 3,
  }),
  remediationExecutions: topic({
    name: 'vigil.remediation.executions.v1',
    description: 'the executor audit trail',
    schema: remediationExecutionSchema,
    keyOf: (e) => e.planId,
    partitions: 3,
  }),
  serviceLeases: topic({
    name: 'vigil.service-leases.v1',
    description:
      'who holds each single-active service lease (the executor per environment); one partition, so one holder',
    schema: serviceLeaseSchema,
    keyOf: (e) => e.lease,
    // The lease is the group's one partition: whoever is assigned it is the active instance.
    partitions: 1,
  }),
  alertPolicy: topic({
    name: 'vigil.alert-policy.v1',
    description:
      'silences, maintenance windows and inhibition rules: every change, with who and when',
    schema: alertPolicyEventSchema,
    keyOf: alertPolicyEventKey,
    partitions: 1,
    // The state is the whole history (a weekly window lives for months) and the audit trail.
    extraConfig: { 'retention.ms': '-1' },
  }),
  correlatorScopedAlerts: topic({
    name: 'vigil.correlator.scoped-alerts.v1',
    description: 'alerts re-keyed by correlation scope (internal to the correlator)',
    schema: scopedAlertSchema,
    keyOf: (e) => e.scope,
    partitions: 6,
  }),
  correlatorChangelog: topic({
    name: 'vigil.correlator.changelog.v1',
    description: 'correlator state per partition, compacted (internal to the correlator)',
    schema: correlatorSnapshotSchema,
    keyOf: (e) => snapshotKey(e.group, e.partition),
    partitions: 1,
    compacted: true,
    maxMessageBytes: 32 * 1024 * 1024,
    // Roll and clean segments often: a restart reads the whole topic, which should stay small.
    extraConfig: { 'segment.ms': '600000', 'min.cleanable.dirty.ratio': '0.1' },
  }),
  dlq: topic({
    name: 'vigil.dlq.v1',
    description: 'messages that could not be processed, with the reason',
    schema: dlqRecordSchema,
    keyOf: (e) =>
      e.keyBase64 === null
        ? `${e.originalTopic}/${e.partition}/${e.offset}`
        : Buffer.from(e.keyBase64, 'base64').toString('utf8'),
    partitions: 1,
    // a parked message travels as base64 inside JSON, a third bigger than it was: room for any
    // message a topic with the broker's 1 MiB default can hold, and then some
    maxMessageBytes: 8 * 1024 * 1024,
  }),
} as const;

/** The bytes of a message in another program's format, before a reader decodes them. */
export const foreignBytes = z.instanceof(Uint8Array);

/**
 * Topics other programs write in their own format and Vigil reads: not Vigil contracts, so not in
 * `allTopics` (no JSON Schema; not created by every app). The names are the defaults of the
 * OpenTelemetry Collector's Kafka exporter; the reading service may be told others, and creates
 * the ones it reads. Vigil never writes them, so there is no key of its own.
 */
export const ForeignTopics = {
  otlpSpans: topic({
    name: 'otlp_spans',
    description: "OTLP traces as the OpenTelemetry Collector's Kafka exporter writes them",
    schema: foreignBytes,
    encoding: 'bytes',
    keyOf: () => '',
    partitions: 6,
  }),
  otlpLogs: topic({
    name: 'otlp_logs',
    description: "OTLP logs as the OpenTelemetry Collector's Kafka exporter writes them",
    schema: foreignBytes,
    encoding: 'bytes',
    keyOf: () => '',
    partitions: 6,
  }),
} as const;

export type TopicKey = keyof typeof Topics;
export type TopicEvent<K extends TopicKey> = z.output<(typeof Topics)[K]['schema']>;

export const allTopics: ReadonlyArray<TopicDefinition<z.ZodType>> = Object.values(Topics);

export function topicByName(name: string): TopicDefinition<z.ZodType> | undefined {
  return allTopics.find((t) => t.name === name);
}
