import type { Kafka } from 'kafkajs';
import { allTopics, type TopicDefinition } from '@vigil/contracts';
import { ensureTopics } from '@vigil/messaging';
import type { z } from 'zod';

/**
 * Commits the current end offsets of `topics` for a consumer group that is not running, so it
 * starts with what is produced from now on. Without this a group configured for "latest" resolves
 * its start offset only at its first fetch, after it has joined: a message produced between the
 * join and that fetch is skipped, and the test waits for it forever. It also keeps a reused
 * broker's old messages from being replayed.
 * One short-lived member joins, commits every partition's end and leaves (admin.setOffsets would
 * join once per topic, seconds each; admin.resetOffsets commits -1, read as "no offset").
 */
export async function startGroupAtEnd(
  kafka: Kafka,
  groupId: string,
  topics: ReadonlyArray<TopicDefinition<z.ZodType>> = allTopics,
): Promise<void> {
  await ensureTopics(kafka, topics);
  const names = topics.map((t) => t.name);
  const admin = kafka.admin();
  await admin.connect();
  const offsets = [];
  try {
    for (const topic of names)
      for (const { partition, high } of await admin.fetchTopicOffsets(topic))
        offsets.push({ topic, partition, offset: high });
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: names });
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
    consumer.pause(names.map((topic) => ({ topic })));
    await consumer.commitOffsets(offsets);
  } finally {
    await consumer.disconnect();
  }
}
