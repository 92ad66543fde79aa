import type { Kafka, KafkaMessage, Message } from 'kafkajs';
import { decodeEvent, Topics, type DlqErrorKind, type DlqRecord } from '@vigil/contracts';
import { readTopicToEnd } from './changelog-reader';
import type { EventPublisher } from './event-publisher';
import { headersAsStrings } from './trace-headers';

export interface FailedMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
  consumerGroup: string;
  errorKind: DlqErrorKind;
  reason: string;
  attempts: number;
}

/**
 * How many times a message went to the DLQ, carried in its headers: the DLQ path counts it up,
 * `vigil dlq redrive` replays the headers with the message, and refuses a message that went to
 * the DLQ too often, so a message that stays invalid is not replayed forever.
 */
export const DEAD_LETTER_COUNT_HEADER = 'vigil-dead-letter-count';

/** The count in `headers` (0 when absent or unreadable). */
export function deadLetterCount(headers: Record<string, string>): number {
  const count = Number(headers[DEAD_LETTER_COUNT_HEADER]);
  return Number.isSafeInteger(count) && count > 0 ? count : 0;
}

/**
 * The most of a value a DLQ record keeps: with base64's third and the record around it, it stays
 * under the DLQ topic's max.message.bytes. A bigger value is cut: a record that cannot be
 * written would stop the consumer that parks it, on every retry.
 */
export const DLQ_MAX_VALUE_BYTES = 5 * 1024 * 1024;

function parkedValue(value: Buffer | null): Pick<DlqRecord, 'valueBase64' | 'valueBytes'> {
  if (!value) return { valueBase64: null };
  if (value.length <= DLQ_MAX_VALUE_BYTES) return { valueBase64: value.toString('base64') };
  return {
    valueBase64: value.subarray(0, DLQ_MAX_VALUE_BYTES).toString('base64'),
    valueBytes: value.length,
  };
}

export function toDlqRecord(failed: FailedMessage, now: Date = new Date()): DlqRecord {
  const { message } = failed;
  const headers = headersAsStrings(message.headers);
  headers[DEAD_LETTER_COUNT_HEADER] = String(deadLetterCount(headers) + 1);
  return {
    schemaVersion: 1,
    originalTopic: failed.topic,
    partition: failed.partition,
    offset: message.offset,
    consumerGroup: failed.consumerGroup,
    keyBase64: message.key ? message.key.toString('base64') : null,
    ...parkedValue(message.value),
    headers,
    errorKind: failed.errorKind,
    reason: failed.reason.slice(0, 4000),
    attempts: failed.attempts,
    failedAt: now.toISOString(),
  };
}

/** Parks a message on `vigil.dlq.v1`, keyed by its original key, so the consumer can move on. */
export async function sendToDeadLetter(
  publisher: EventPublisher,
  failed: FailedMessage,
): Promise<void> {
  await publisher.publish(Topics.dlq, toDlqRecord(failed));
}

/** A record as it sits on the DLQ topic; `record` is undefined when it breaks the DLQ contract. */
export interface StoredDeadLetter {
  partition: number;
  offset: string;
  record?: DlqRecord;
  unreadable?: string;
}

/** Every record on the DLQ topic now, in offset order per partition. */
export async function readDeadLetters(
  kafka: Kafka,
  topicName: string = Topics.dlq.name,
): Promise<StoredDeadLetter[]> {
  const stored: StoredDeadLetter[] = [];
  await readTopicToEnd(kafka, topicName, (message, partition) => {
    const decoded = decodeEvent(Topics.dlq, message.value);
    stored.push(
      decoded.ok
        ? { partition, offset: message.offset, record: decoded.value }
        : { partition, offset: message.offset, unreadable: decoded.reason },
    );
  });
  return stored;
}

/**
 * The original message of a DLQ record, as it is sent back to its topic: the same key, bytes and
 * headers (the dead-letter count included), to the partition it came from so its key's order holds.
 */
export function originalMessage(record: DlqRecord): Message {
  return {
    key: record.keyBase64 === null ? null : Buffer.from(record.keyBase64, 'base64'),
    value: record.valueBase64 === null ? null : Buffer.from(record.valueBase64, 'base64'),
    headers: record.headers,
    partition: record.partition,
  };
}

/** The group's committed position on the DLQ: per partition, the offset of the next record it handles. */
export async function readGroupPosition(
  kafka: Kafka,
  groupId: string,
  topicName: string = Topics.dlq.name,
): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topicName] });
    return new Map(
      (offsets?.partitions ?? [])
        .filter((p) => BigInt(p.offset) >= 0n)
        .map((p) => [p.partition, BigInt(p.offset)]),
    );
  } finally {
    await admin.disconnect();
  }
}

/** Per partition, the offset of the last record to read: what lies between the position and the end now. */
async function pendingUpToEnd(
  kafka: Kafka,
  groupId: string,
  topicName: string,
): Promise<Map<number, bigint>> {
  const position = await readGroupPosition(kafka, groupId, topicName);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topicName);
    const pending = new Map<number, bigint>();
    for (const p of ends) {
      const from = position.get(p.partition) ?? BigInt(p.low);
      if (BigInt(p.high) > from) pending.set(p.partition, BigInt(p.high) - 1n);
    }
    return pending;
  } finally {
    await admin.disconnect();
  }
}

/**
 * The DLQ records a consumer group has not handled yet, up to the DLQ's end as of the call, one at
 * a time. Each is committed for the group once `handle` returns, so across runs a record is
 * handled once per group, and records that reach the DLQ during the run (a replayed message that
 * failed again) wait for the next run: a run always ends.
 */
export async function handleNewDeadLetters(
  kafka: Kafka,
  groupId: string,
  handle: (stored: StoredDeadLetter) => Promise<void>,
  topicName: string = Topics.dlq.name,
): Promise<void> {
  const pending = await pendingUpToEnd(kafka, groupId, topicName);
  if (pending.size === 0) return;
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: topicName, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const last = pending.get(partition);
            const offset = BigInt(message.offset);
            if (failed || last === undefined || offset > last) return;
            try {
              const decoded = decodeEvent(Topics.dlq, message.value);
              await handle(
                decoded.ok
                  ? { partition, offset: message.offset, record: decoded.value }
                  : { partition, offset: message.offset, unreadable: decoded.reason },
              );
              await consumer.commitOffsets([
                { topic: topicName, partition, offset: (offset + 1n).toString() },
              ]);
            } catch (error) {
              failed = true;
              reject(error instanceof Error ? error : new Error(String(error)));
              return;
            }
            if (offset >= last) pending.delete(partition);
            if (pending.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
