import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { Topics } from '@vigil/contracts';
import { checkTopicConfigs, ensureTopics } from '@vigil/messaging';
import { testKafka } from '../support/kafka-test-kit';

// Topics of this run only, shaped like the registry's kept-for-ever and compacted ones.
const runId = randomUUID().slice(0, 8);
const keptForEver = { ...Topics.alertPolicy, name: `vigil-test-settings-kept-${runId}` };
const compacted = { ...Topics.correlatorChangelog, name: `vigil-test-settings-compact-${runId}` };

async function settingsOf(kafka: Kafka, topic: string): Promise<Record<string, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    return Object.fromEntries(resources[0].configEntries.map((c) => [c.configName, c.configValue]));
  } finally {
    await admin.disconnect();
  }
}

describe("topics keep the registry's settings on a real broker", () => {
  const kafka = testKafka();

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [keptForEver.name, compacted.name] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a topic with its retention, compaction and size settings', async () => {
    await ensureTopics(kafka, [keptForEver, compacted]);
    expect(await settingsOf(kafka, keptForEver.name)).toMatchObject({ 'retention.ms': '-1' });
    expect(await settingsOf(kafka, compacted.name)).toMatchObject({
      'cleanup.policy': 'compact',
      'max.message.bytes': String(Topics.correlatorChangelog.maxMessageBytes),
      'segment.ms': '600000',
    });
    expect(
      (await checkTopicConfigs(kafka, [keptForEver, compacted], { fix: false })).drift,
    ).toEqual([]);
  });

  it('finds a topic made without its settings, and sets them, keeping what an operator set', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [keptForEver.name] });
    // as an older Vigil made it: no settings of the registry's, one of an operator's own
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: keptForEver.name,
          numPartitions: 1,
          configEntries: [{ name: 'min.compaction.lag.ms', value: '5000' }],
        },
      ],
    });
    await admin.disconnect();

    const found = await checkTopicConfigs(kafka, [keptForEver], { fix: false });
    expect(found.drift).toEqual([
      expect.objectContaining({ topic: keptForEver.name, name: 'retention.ms', want: '-1' }),
    ]);
    expect(found.fixed).toEqual([]);

    expect((await checkTopicConfigs(kafka, [keptForEver], { fix: true })).fixed).toEqual([
      keptForEver.name,
    ]);
    expect(await settingsOf(kafka, keptForEver.name)).toMatchObject({
      'retention.ms': '-1',
      'min.compaction.lag.ms': '5000',
    });
    expect((await checkTopicConfigs(kafka, [keptForEver], { fix: false })).drift).toEqual([]);
  });

  it("leaves an operator's setting beyond the registry's, and raises one short of it", async () => {
    const mib = 1024 * 1024;
    const operatorSets = async (maxMessageBytes: number) => {
      const admin = kafka.admin();
      await admin.connect();
      // AlterConfigs replaces the topic's settings: the operator's whole set
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: compacted.name,
            configEntries: [
              { name: 'cleanup.policy', value: 'compact' },
              { name: 'min.cleanable.dirty.ratio', value: '0.1' },
              { name: 'segment.ms', value: '60000' },
              { name: 'max.message.bytes', value: String(maxMessageBytes) },
            ],
          },
        ],
      });
      await admin.disconnect();
    };

    await operatorSets(64 * mib);
    const beyond = await checkTopicConfigs(kafka, [compacted], { fix: true });
    expect(beyond).toEqual({ drift: [], fixed: [] });
    expect(await settingsOf(kafka, compacted.name)).toMatchObject({
      'max.message.bytes': String(64 * mib),
      'segment.ms': '60000',
    });

    await operatorSets(mib);
    const short = await checkTopicConfigs(kafka, [compacted], { fix: true });
    expect(short.drift.map((d) => d.name)).toEqual(['max.message.bytes']);
    expect(await settingsOf(kafka, compacted.name)).toMatchObject({
      'max.message.bytes': String(Topics.correlatorChangelog.maxMessageBytes),
      'segment.ms': '60000',
    });
  });
});
