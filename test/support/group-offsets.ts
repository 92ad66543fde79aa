import type { Kafka } from 'kafkajs';
import { allTopics, type TopicDefinition } from '@vigil/contracts';
import { commitGroupStart, ensureTopics, topicEnds } from '@vigil/messaging';
import type { z } from 'zod';

/**
 * Commits the current end offsets of `topics` for a consumer group that is not running, so it
 * starts with what is produced from now on. Without this a group configured for "latest" resolves
 * its start offset only at its first fetch, after it has joined: a message produced between the
 * join and that fetch is skipped, and the test waits for it forever. It also keeps a reused
 * broker's old messages from being replayed.
 */
export async function startGroupAtEnd(
  kafka: Kafka,
  groupId: string,
  topics: ReadonlyArray<TopicDefinition<z.ZodType>> = allTopics,
): Promise<void> {
  await ensureTopics(kafka, topics);
  await commitGroupStart(
    kafka,
    groupId,
    topics.map((t) => t.name),
    async (admin, topic) =>
      // a topic just created may not have its leader yet: topicEnds asks again for a while
      (await topicEnds(admin, topic)).map(({ partition, high }) => ({
        partition,
        offset: high,
      })),
  );
}
