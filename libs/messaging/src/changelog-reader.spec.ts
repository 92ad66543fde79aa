import type { Kafka } from 'kafkajs';
import { readLatestByKey, readTopicToEnd } from './changelog-reader';
import { InMemoryKafka } from './testing/in-memory-kafka';

const topic = 'vigil.correlator.changelog.v1';

async function withThree(): Promise<InMemoryKafka> {
  const kafka = new InMemoryKafka();
  await kafka.sendRaw(topic, [
    { key: 'g-0', value: '{"n":1}' },
    { key: 'g-1', value: '{"n":2}' },
    { key: 'g-0', value: '{"n":3}' },
  ]);
  return kafka;
}

describe('reading a changelog to its end', () => {
  it('gives the latest message of each key', async () => {
    const latest = await readLatestByKey((await withThree()).client, topic);
    expect([...latest].map(([key, m]) => [key, m.value?.toString()])).toEqual([
      ['g-0', '{"n":3}'],
      ['g-1', '{"n":2}'],
    ]);
  });

  it('fails, naming the partitions, instead of waiting for good for an end it never reaches', async () => {
    // the end the broker reported is one record further than what the reader will ever get,
    // as when the broker goes away in the middle of the read
    const memory = await withThree();
    const admin = memory.admin();
    const kafka = {
      ...memory.client,
      consumer: memory.client.consumer.bind(memory),
      admin: () => ({
        ...admin,
        fetchTopicOffsets: async (name: string) =>
          (await admin.fetchTopicOffsets(name)).map((p) => ({ ...p, high: String(+p.high + 1) })),
      }),
    } as unknown as Kafka;
    const seen: string[] = [];
    await expect(
      readTopicToEnd(kafka, topic, (m) => seen.push(String(m.offset)), 50),
    ).rejects.toThrow(`${topic} not read to its end in 50 ms (partitions 0)`);
    expect(seen).toEqual(['0', '1', '2']);
  });

  it('asks again for the ends while a partition has no leader yet, and fails on what no retry fixes', async () => {
    const memory = await withThree();
    const admin = memory.admin();
    const failing = (failures: number, error: () => Error) => {
      let left = failures;
      return {
        ...memory.client,
        consumer: memory.client.consumer.bind(memory),
        admin: () => ({
          ...admin,
          fetchTopicOffsets: async (name: string) => {
            if (left-- > 0) throw error();
            return admin.fetchTopicOffsets(name);
          },
        }),
      } as unknown as Kafka;
    };
    const notLeader = () =>
      Object.assign(new Error('This server is not the leader for that topic-partition'), {
        name: 'KafkaJSProtocolError',
        retriable: true,
      });
    const seen: string[] = [];
    await readTopicToEnd(failing(2, notLeader), topic, (m) => seen.push(String(m.offset)));
    expect(seen).toEqual(['0', '1', '2']);

    const denied = () =>
      Object.assign(new Error('Not authorized to access topics'), { retriable: false });
    await expect(readTopicToEnd(failing(1, denied), topic, () => undefined)).rejects.toThrow(
      'Not authorized',
    );
  });
});
