import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

/**
 * Reads a (compacted) changelog topic from the beginning to its current end and returns the
 * latest message per key: the state a restarted stateful consumer resumes from.
 */
export async function readLatestByKey(
  kafka: Kafka,
  topic: string,
): Promise<Map<string, KafkaMessage>> {
  const latest = new Map<string, KafkaMessage>();
  await readTopicToEnd(kafka, topic, (message) => {
    if (message.key) latest.set(message.key.toString('utf8'), message);
  });
  return latest;
}

/**
 * Every message of a topic from the beginning to its end as of the call, in offset order per
 * partition: for services that rebuild their state from a log (the executor's audit trail).
 */
export async function readTopicToEnd(
  kafka: Kafka,
  topic: string,
  onMessage: (message: KafkaMessage, partition: number) => void,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `vigil-changelog-reader-${randomUUID()}`;
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const pending = new Map(
      ends
        .filter((p) => BigInt(p.high) > BigInt(p.low))
        .map((p) => [p.partition, BigInt(p.high) - 1n]),
    );
    if (pending.size === 0) return;
    const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 64 * 1024 * 1024 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              onMessage(message, partition);
              const last = pending.get(partition);
              if (last !== undefined && BigInt(message.offset) >= last) pending.delete(partition);
              if (pending.size === 0) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    await admin.deleteGroups([groupId]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
