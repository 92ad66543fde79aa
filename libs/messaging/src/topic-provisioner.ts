import type { Kafka } from 'kafkajs';
import type { TopicDefinition } from '@vigil/contracts';
import type { z } from 'zod';

/** Creates the topics that do not exist yet, with the partition counts of the registry. Idempotent. */
export async function ensureTopics(
  kafka: Kafka,
  topics: ReadonlyArray<TopicDefinition<z.ZodType>>,
  replicationFactor = 1,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor,
        configEntries: [
          ...(t.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
          ...(t.maxMessageBytes
            ? [{ name: 'max.message.bytes', value: String(t.maxMessageBytes) }]
            : []),
        ],
      })),
    });
    return missing.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}
