import type { Admin, Kafka } from 'kafkajs';

/** Where a group starts on one partition of a topic. */
export interface PartitionStart {
  partition: number;
  offset: string;
}

/**
 * Commits, for a consumer group that is not running, the offset `startOf` gives each partition of
 * `topics`, so the group starts there. One short-lived member joins, commits every topic at once
 * and leaves (admin.setOffsets would join once per topic, seconds each; admin.resetOffsets
 * commits -1, read as "no offset").
 */
export async function commitGroupStart(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
  startOf: (admin: Admin, topic: string) => Promise<PartitionStart[]>,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets: Array<{ topic: string; partition: number; offset: string }> = [];
  try {
    for (const topic of topics)
      for (const { partition, offset } of await startOf(admin, topic))
        offsets.push({ topic, partition, offset });
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics] });
    const joined = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async () => undefined,
    });
    // Pause only once joined: right after run() a consumer that crashed on a busy broker (and is
    // restarting) has no group yet, and pause would throw. Nothing it fetches meanwhile is committed.
    await joined;
    consumer.pause(topics.map((topic) => ({ topic })));
    await consumer.commitOffsets(offsets);
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Commits, for a consumer group that is not running, each partition's first offset at or after
 * `timestamp` (epoch ms; the end when nothing is that recent), so the group starts there: a
 * bounded look-back instead of the whole topic. Offsets the broker no longer holds were deleted
 * by retention, so the earliest kept offset is used.
 */
export function commitGroupStartAt(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
  timestamp: number,
): Promise<void> {
  return commitGroupStart(kafka, groupId, topics, (admin, topic) =>
    admin.fetchTopicOffsetsByTimestamp(topic, timestamp),
  );
}
