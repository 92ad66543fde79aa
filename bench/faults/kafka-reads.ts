import { AssignerProtocol, type Kafka } from 'kafkajs';
import {
  decodeEvent,
  Topics,
  type DlqRecord,
  type Alert,
  type IncidentEvent,
  type RemediationExecution,
  type RemediationPlan,
} from '@vigil/contracts';
import { readTopicToEnd } from '@vigil/messaging';
import { readTopic } from '../../test/support/kafka-test-kit';

/** Every record of a topic that decodes, in offset order per partition. */
export async function decoded<T>(
  kafka: Kafka,
  topic: { name: string },
  decode: (value: Buffer | null) => { ok: true; value: T } | { ok: false },
): Promise<T[]> {
  const messages = await readTopic(kafka, topic.name);
  return messages.flatMap((m) => {
    const d = decode(m.value);
    return d.ok ? [d.value] : [];
  });
}

/** What the counts are read from: every record of the topics the loop writes, decoded. */
export async function readOutcome(kafka: Kafka): Promise<{
  incidents: IncidentEvent[];
  plans: RemediationPlan[];
  executions: RemediationExecution[];
  dlq: DlqRecord[];
}> {
  const [incidents, plans, executions, dlq] = await Promise.all([
    decoded(kafka, Topics.incidents, (v) => decodeEvent(Topics.incidents, v)),
    decoded(kafka, Topics.remediationPlans, (v) => decodeEvent(Topics.remediationPlans, v)),
    decoded(kafka, Topics.remediationExecutions, (v) =>
      decodeEvent(Topics.remediationExecutions, v),
    ),
    decoded(kafka, Topics.dlq, (v) => decodeEvent(Topics.dlq, v)),
  ]);
  return { incidents, plans, executions, dlq };
}

/** Every normalized alert on vigil.alerts.raw.v1: the stream the live correlator took. */
export function readRawAlerts(kafka: Kafka): Promise<Alert[]> {
  return decoded(kafka, Topics.alertsRaw, (v) => decodeEvent(Topics.alertsRaw, v));
}

/**
 * The live correlator's own input: the alerts on vigil.correlator.scoped-alerts, each partition's
 * in the order of its offsets (what one IncidentCorrelator per partition took, replays included).
 */
export async function readScopedAlerts(kafka: Kafka): Promise<Map<number, Alert[]>> {
  const byPartition = new Map<number, Alert[]>();
  await readTopicToEnd(kafka, Topics.correlatorScopedAlerts.name, (message, partition) => {
    const d = decodeEvent(Topics.correlatorScopedAlerts, message.value);
    if (!d.ok) return;
    const alerts = byPartition.get(partition) ?? [];
    alerts.push(d.value.alert);
    byPartition.set(partition, alerts);
  });
  return byPartition;
}

/**
 * How far behind each group is on the partitions its members hold now: the sum of the end offset
 * minus the committed offset. A group with no member (its service is down) is behind: Infinity.
 * Only assigned partitions count: a group's offsets were committed on every topic at its start.
 */
export async function groupLags(
  kafka: Kafka,
  groups: readonly string[],
): Promise<Record<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, Map<number, bigint>>();
    const end = async (topic: string) => {
      let known = ends.get(topic);
      if (!known) {
        known = new Map(
          (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]),
        );
        ends.set(topic, known);
      }
      return known;
    };
    const described = await admin.describeGroups([...groups]);
    const lags: Record<string, number> = {};
    for (const group of described.groups) {
      const assigned = new Map<string, Set<number>>();
      for (const member of group.members) {
        const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        for (const [topic, partitions] of Object.entries(decoded?.assignment ?? {}))
          for (const p of partitions)
            assigned.set(topic, (assigned.get(topic) ?? new Set()).add(p));
      }
      if (assigned.size === 0) {
        lags[group.groupId] = Infinity;
        continue;
      }
      let lag = 0n;
      const committed = await admin.fetchOffsets({
        groupId: group.groupId,
        topics: [...assigned.keys()],
      });
      for (const { topic, partitions } of committed) {
        const highs = await end(topic);
        for (const p of partitions) {
          if (!assigned.get(topic)?.has(p.partition) || Number(p.offset) < 0) continue;
          const behind = (highs.get(p.partition) ?? 0n) - BigInt(p.offset);
          if (behind > 0n) lag += behind;
        }
      }
      lags[group.groupId] = Number(lag);
    }
    return lags;
  } finally {
    await admin.disconnect();
  }
}
