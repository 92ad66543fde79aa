import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import type { z } from 'zod';
import { decodeEvent, type TopicDefinition } from '@vigil/contracts';
import { createKafka, EventPublisher, readTopicToEnd, topicEnds } from '@vigil/messaging';
import { waitFor } from './wait-for';

/**
 * The tests' brokers, as the integration global setup sets them (test/support/global-setup.ts):
 * never a default, which would be the demo's broker.
 */
export function testKafkaBrokers(): string {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers)
    throw new Error(
      "KAFKA_BROKERS is not set: the integration tests' global setup and the benches' " +
        'ensureInfra (bench/support/local-infra.ts) set it to a broker of their own (run tests ' +
        "with `npm test`), or name one for tests with VIGIL_TEST_KAFKA_BROKERS; the demo's " +
        'broker is never assumed',
    );
  return brokers;
}

export function testKafka(): Kafka {
  const brokers = testKafkaBrokers().split(',');
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
  /** Also ask `done` this often: what it waits for may be a quiet while, not a message. */
  recheckMs?: number,
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `vigil-test-reader-${randomUUID()}` });
  const kept: KafkaMessage[] = [];
  await consumer.connect();
  let ticker: NodeJS.Timeout | undefined;
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
      const check = () => {
        if (!done(kept)) return;
        clearTimeout(timer);
        resolve();
      };
      if (recheckMs) ticker = setInterval(check, recheckMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (keep(message)) kept.push(message);
          check();
        },
      });
    });
  } finally {
    clearInterval(ticker);
    await consumer.disconnect();
  }
  return kept;
}

/**
 * The events of `topic` that `keep` takes, read as collectFromTopic reads until `done` says enough
 * was seen; messages that break the contract are passed over.
 */
export async function collectEvents<S extends z.ZodType>(
  kafka: Kafka,
  topic: TopicDefinition<S>,
  keep: (event: z.output<S>) => boolean,
  done: (kept: Array<z.output<S>>) => boolean,
  timeoutMs?: number,
): Promise<Array<z.output<S>>> {
  const decode = (message: KafkaMessage): Array<z.output<S>> => {
    const decoded = decodeEvent(topic, message.value);
    return decoded.ok ? [decoded.value] : [];
  };
  const messages = await collectFromTopic(
    kafka,
    topic.name,
    (m) => decode(m).some(keep),
    (kept) => done(kept.flatMap(decode)),
    timeoutMs,
  );
  return messages.flatMap(decode);
}

/**
 * Everything on a topic now, from the start up to each partition's end (libs/messaging's reader:
 * partitions retention emptied are skipped). Rejects when that takes longer than `timeoutMs`.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  timeoutMs = 60_000,
): Promise<KafkaMessage[]> {
  const messages: KafkaMessage[] = [];
  await readTopicToEnd(kafka, topic, (message) => messages.push(message), timeoutMs);
  return messages;
}

async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

async function committedOffsets(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<Map<number, bigint>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map(offsets?.partitions.map((p) => [p.partition, BigInt(p.offset)]) ?? []);
}

/** Waits until the consumer group has members with partitions, so produced messages are not missed. */
export function waitForGroupStable(
  kafka: Kafka,
  groupId: string,
  timeoutMs = 60_000,
): Promise<void> {
  return withAdmin(kafka, (admin) =>
    waitFor(
      `consumer group ${groupId} to become stable`,
      async () => {
        const { groups } = await admin.describeGroups([groupId]);
        return groups[0]?.state === 'Stable' && groups[0].members.length > 0;
      },
      timeoutMs,
      250,
    ),
  );
}

/** Waits until a consumer group has committed an offset on some partition of a topic. */
export function waitForCommittedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
  timeoutMs = 60_000,
): Promise<void> {
  return withAdmin(kafka, (admin) =>
    waitFor(
      `consumer group ${groupId} to commit on ${topic}`,
      async () => {
        const committed = await committedOffsets(admin, groupId, topic);
        return [...committed.values()].some((offset) => offset >= 0n);
      },
      timeoutMs,
      250,
    ),
  );
}

/** The consumer groups whose id starts with `prefix` (a service's groups of its own). */
export function groupsStartingWith(kafka: Kafka, prefix: string): Promise<string[]> {
  return withAdmin(kafka, async (admin) =>
    (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix)),
  );
}

/** The current end offset of every partition of a topic. */
export function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  return withAdmin(kafka, async (admin) => {
    const offsets = await topicEnds(admin, topic);
    return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
  });
}

/** Waits until a group has committed, on every given partition, at least up to the given offset. */
export function waitForGroupCaughtUp(
  kafka: Kafka,
  groupId: string,
  topic: string,
  targets: Map<number, bigint>,
  timeoutMs = 60_000,
): Promise<void> {
  return withAdmin(kafka, (admin) =>
    waitFor(
      `consumer group ${groupId} to catch up with ${topic}`,
      async () => {
        const committed = await committedOffsets(admin, groupId, topic);
        return [...targets].every(([partition, end]) => (committed.get(partition) ?? -1n) >= end);
      },
      timeoutMs,
      250,
    ),
  );
}
