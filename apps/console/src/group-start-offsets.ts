import type { Kafka } from 'kafkajs';

/**
 * Commits, for a consumer group that is not running, each partition's first offset at or after
 * `timestamp` (epoch ms; the end when nothing is that recent), so the group starts there: a
 * bounded look-back instead of the whole topic. Offsets the broker no longer holds were deleted
 * by retention, so the earliest kept offset is used. One short-lived member joins, commits every
 * topic at once and leaves (admin.setOffsets would join once per topic).
 */
export async function commitGroupStartAt(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
  timestamp: number,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets: Array<{ topic: string; partition: number; offset: string }> = [];
  try {
    for (const topic of topics)
      for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(
        topic,
        timestamp,
      ))
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
    // nothing fetched meanwhile is committed: the offsets below are the only commit
    await joined;
    consumer.pause(topics.map((topic) => ({ topic })));
    await consumer.commitOffsets(offsets);
  } finally {
    await consumer.disconnect();
  }
}
