import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { createKafka, EventPublisher } from '@vigil/messaging';

export function testKafka(): Kafka {
  const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
  return createKafka({ brokers, clientId: `vigil-test-${randomUUID().slice(0, 8)}` });
}

export async function testPublisher(kafka: Kafka): Promise<EventPublisher> {
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  return publisher;
}

/** Reads a topic from the beginning with a throwaway group until `done` says enough was seen. */
export async function collectFromTopic(
  kafka: Kafka,
  topic: string,
  keep: (message: KafkaMessage) => boolean,
  done: (kept: KafkaMessage[]) => boolean,
  timeoutMs = 60_000,
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `vigil-test-reader-${randomUUID()}` });
  const kept: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`only ${kept.length} matching messages on ${topic} after ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (keep(message)) kept.push(message);
          if (done(kept)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return kept;
}

/** Waits until the consumer group has members with partitions, so produced messages are not missed. */
export async function waitForGroupStable(
  kafka: Kafka,
  groupId: string,
  timeoutMs = 60_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { groups } = await admin.describeGroups([groupId]);
      if (groups[0]?.state === 'Stable' && groups[0].members.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`consumer group ${groupId} did not become stable within ${timeoutMs} ms`);
  } finally {
    await admin.disconnect();
  }
}

/** Waits until a consumer group has committed an offset on every partition of a topic it consumes. */
export async function waitForCommittedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
  timeoutMs = 60_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      if (offsets?.partitions.some((p) => Number(p.offset) >= 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `consumer group ${groupId} committed nothing on ${topic} within ${timeoutMs} ms`,
    );
  } finally {
    await admin.disconnect();
  }
}

/** The current end offset of every partition of a topic. */
export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** Waits until a group has committed, on every partition, at least up to the given offsets. */
export async function waitForGroupCaughtUp(
  kafka: Kafka,
  groupId: string,
  topic: string,
  targets: Map<number, bigint>,
  timeoutMs = 60_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committed = new Map(
        offsets?.partitions.map((p) => [p.partition, BigInt(p.offset)]) ?? [],
      );
      const behind = [...targets].filter(
        ([partition, end]) => end > 0n && (committed.get(partition) ?? -1n) < end,
      );
      if (behind.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `consumer group ${groupId} did not catch up with ${topic} within ${timeoutMs} ms`,
    );
  } finally {
    await admin.disconnect();
  }
}
