import type { Kafka } from 'kafkajs';

/**
 * Commits the current end offsets of `topics` for a consumer group that is not running, so it
 * starts with what is produced from now on and a reused broker's old messages are not replayed.
 * Not admin.resetOffsets: that commits -1, which the consumer takes as "no offset" and then reads
 * from the beginning.
 */
export async function startGroupAtEnd(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const partitions = ends.map((p) => ({ partition: p.partition, offset: p.high }));
      await admin.setOffsets({ groupId, topic, partitions });
    }
  } finally {
    await admin.disconnect();
  }
}
