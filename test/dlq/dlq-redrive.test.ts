import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Topics, type DlqRecord, type LogRecord } from '@vigil/contracts';
import {
  ContractConsumer,
  deadLetterCount,
  readDeadLetters,
  subscription,
  type EventPublisher,
} from '@vigil/messaging';
import { testKafka, testPublisher, waitForGroupStable } from '../support/kafka-test-kit';
import { vigil } from '../support/vigil-cli';
import { waitFor } from '../support/wait-for';

const runId = randomUUID().slice(0, 8);
// A topic and a group of this run only: the DLQ records and the redrive position it makes are
// keyed by this topic, so nothing of the demo's (or another run's) is listed or replayed.
const logsOfRun = { ...Topics.logs, name: `vigil-test-dlq-${runId}` };
const group = `vigil-test-dlq-${runId}`;
const quiet: LoggerService = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('vigil dlq: a poison message is parked with its reason, replayed a bounded number of times', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let consumer: ContractConsumer;
  const handled: LogRecord[] = [];

  /** The DLQ records of this run, oldest first. */
  async function parked(): Promise<DlqRecord[]> {
    return (await readDeadLetters(kafka)).flatMap((s) =>
      s.record?.originalTopic === logsOfRun.name ? [s.record] : [],
    );
  }

  async function waitForParked(count: number): Promise<DlqRecord[]> {
    let records: DlqRecord[] = [];
    await waitFor(`${count} DLQ records of ${logsOfRun.name}`, async () => {
      records = await parked();
      return records.length >= count;
    });
    return records;
  }

  beforeAll(async () => {
    kafka = testKafka();
    publisher = await testPublisher(kafka);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: logsOfRun.name, numPartitions: 1 }],
    });
    await admin.disconnect();
    consumer = new ContractConsumer(kafka, {
      groupId: group,
      subscriptions: [
        subscription(logsOfRun, async (event) => {
          handled.push(event);
        }),
      ],
      publisher,
      logger: quiet,
      fromBeginning: true,
    });
    await consumer.start();
    await waitForGroupStable(kafka, group);
  });

  afterAll(async () => {
    await consumer?.stop();
    await publisher?.disconnect();
  });

  it('parks it at once, replays it while it may, and then refuses it for good', async () => {
    const poison = JSON.stringify({ schemaVersion: 1, service: 'payment', level: 'loud' });
    await publisher.sendRaw(logsOfRun.name, [
      {
        key: 'payment',
        value: poison,
        headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      },
    ]);
    const [first] = await waitForParked(1);
    expect(first).toMatchObject({
      originalTopic: logsOfRun.name,
      consumerGroup: group,
      errorKind: 'schema-violation',
      reason: expect.stringMatching(/level/),
      attempts: 1,
    });
    expect(Buffer.from(first?.valueBase64 ?? '', 'base64').toString('utf8')).toBe(poison);
    expect(deadLetterCount(first?.headers ?? {})).toBe(1);

    // Replayed: still invalid, so back on the DLQ, counted once more, with its headers.
    const redrive = () => vigil('dlq', 'redrive', '--topic', logsOfRun.name, '--max-attempts', '2');
    expect(await redrive()).toMatch(
      /replayed 0:\d+ to vigil-test-dlq-\w+\[0\]\n1 replayed, 0 refused/,
    );
    const [, second] = await waitForParked(2);
    expect(deadLetterCount(second?.headers ?? {})).toBe(2);
    expect(second?.headers['traceparent']).toBe(first?.headers['traceparent']);
    expect(Buffer.from(second?.valueBase64 ?? '', 'base64').toString('utf8')).toBe(poison);

    expect(await redrive()).toMatch(/1 replayed, 0 refused/);
    const [, , third] = await waitForParked(3);
    expect(deadLetterCount(third?.headers ?? {})).toBe(3);

    // Replayed twice and failed twice: refused, so it does not come back.
    expect(await redrive()).toMatch(
      /refused {2}0:\d+: replayed 2 times already .*\n0 replayed, 1 refused/,
    );
    // Each record is looked at once: a further redrive has nothing to do.
    expect(await redrive()).toMatch(/^0 replayed, 0 refused\n$/);
    expect(await parked()).toHaveLength(3);
    expect(handled).toHaveLength(0);

    const listed = await vigil('dlq', 'list', '--topic', logsOfRun.name);
    const lines = listed.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/schema-violation {2}dead-lettered 3 times {2}\[redrive done\]/);
    expect(lines[3]).toBe('3 record(s) on vigil.dlq.v1');
  });

  it('lets a good message through untouched', async () => {
    const before = (await parked()).length;
    const good: LogRecord = {
      schemaVersion: 1,
      service: 'payment',
      level: 'error',
      body: `run ${runId}`,
      attributes: {},
      time: new Date().toISOString(),
    };
    await publisher.publish(logsOfRun, good);
    await waitFor('the good message handled', () => handled.length === 1);
    expect(handled).toEqual([good]);
    expect(await parked()).toHaveLength(before);
  });
});
