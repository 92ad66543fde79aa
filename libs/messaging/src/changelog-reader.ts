import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { classifyFailure, defaultRetryPolicy, transientDelay } from './retry-policy';

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

/** A read that has not reached the end by then failed: its caller tries again. */
const defaultReadTimeoutMs = 120_000;

/**
 * Every message of a topic from the beginning to its end as of the call, in offset order per
 * partition: for services that rebuild their state from a log (the executor's audit trail).
 * Rejects when the reading consumer crashes (the broker went away) or the end is not reached
 * within `timeoutMs`: a read that never settles would hold its caller for good.
 */
export async function readTopicToEnd(
  kafka: Kafka,
  topic: string,
  onMessage: (message: KafkaMessage, partition: number) => void,
  timeoutMs = defaultReadTimeoutMs,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `vigil-changelog-reader-${randomUUID()}`;
  try {
    const ends = await topicEnds(admin, topic);
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
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => {
          const left = [...pending.keys()].join(', ');
          reject(new Error(`${topic} not read to its end in ${timeoutMs} ms (partitions ${left})`));
        }, timeoutMs);
        consumer.on(consumer.events.CRASH, ({ payload }) =>
          reject(new Error(`reading ${topic} failed: ${payload.error.message}`)),
        );
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
      }).finally(() => clearTimeout(timer));
    } finally {
      await consumer.disconnect();
    }
    await admin.deleteGroups([groupId]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

/** Tries at asking for a topic's ends, over about 10 s. */
const endAttempts = 8;

/**
 * The topic's partition ends. Right after a broker starts or a topic is created, a partition's
 * leader may still move ("not the leader for that topic-partition"): a service reading its state
 * back at start asks again rather than failing to start.
 */
export async function topicEnds(
  admin: Admin,
  topic: string,
): ReturnType<Admin['fetchTopicOffsets']> {
  const policy = { ...defaultRetryPolicy, transientMaxDelayMs: 2_000 };
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (attempt >= endAttempts || classifyFailure(error) !== 'transient') throw error;
      await sleep(transientDelay(attempt, policy));
    }
  }
}
