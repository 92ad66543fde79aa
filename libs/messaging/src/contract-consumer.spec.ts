import type { LoggerService } from '@nestjs/common';
import { Topics, type LogRecord } from '@vigil/contracts';
import { ContractConsumer, subscription } from './contract-consumer';
import { DEAD_LETTER_COUNT_HEADER } from './dead-letter';
import { EventPublisher } from './event-publisher';
import { PermanentError } from './retry-policy';
import { InMemoryKafka } from './testing/in-memory-kafka';

const logLine: LogRecord = {
  schemaVersion: 1,
  service: 'payment',
  level: 'error',
  body: 'connection refused to db-primary:5432',
  attributes: {},
  time: '2026-11-27T10:00:00.000Z',
};

const quiet: LoggerService = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const neo4jDown = () =>
  Object.assign(new Error('Could not perform discovery'), { code: 'ServiceUnavailable' });

describe('ContractConsumer: what goes to the DLQ', () => {
  let kafka: InMemoryKafka;
  let consumer: ContractConsumer;

  async function consume(handler: (event: LogRecord) => Promise<void>) {
    consumer = new ContractConsumer(kafka.client, {
      groupId: 'spec-group',
      subscriptions: [subscription(Topics.logs, handler)],
      publisher: new EventPublisher(kafka.client),
      logger: quiet,
      retryPolicy: { attempts: 3, initialDelayMs: 1, maxDelayMs: 1, transientMaxDelayMs: 2 },
      fromBeginning: false,
    });
    await consumer.start();
  }

  beforeEach(() => {
    kafka = new InMemoryKafka();
  });
  afterEach(() => consumer.stop());

  it('holds a message through a dependency outage instead of dead-lettering it', async () => {
    let calls = 0;
    const handled: LogRecord[] = [];
    await consume(async (event) => {
      if (++calls <= 8) throw neo4jDown();
      handled.push(event);
    });
    await kafka.send(Topics.logs, [logLine]);
    expect(handled).toEqual([logLine]);
    expect(kafka.messages(Topics.dlq.name)).toHaveLength(0);
  });

  it('sends a message the handler refuses to the DLQ at once, with the reason and a count of 1', async () => {
    let calls = 0;
    await consume(async () => {
      calls++;
      throw new PermanentError('unknown service kind');
    });
    await kafka.send(Topics.logs, [logLine]);
    expect(calls).toBe(1);
    const [record] = kafka.published(Topics.dlq);
    expect(record).toMatchObject({
      originalTopic: Topics.logs.name,
      errorKind: 'processing-failed',
      reason: 'handler refused: unknown service kind',
      attempts: 1,
      headers: { [DEAD_LETTER_COUNT_HEADER]: '1' },
    });
  });

  it('sends a message that breaks the contract to the DLQ without calling the handler', async () => {
    let calls = 0;
    await consume(async () => {
      calls++;
    });
    await kafka.sendRaw(Topics.logs.name, [{ key: 'payment', value: '{"schemaVersion":1}' }]);
    expect(calls).toBe(0);
    expect(kafka.published(Topics.dlq)).toMatchObject([{ errorKind: 'schema-violation' }]);
  });

  it('counts up the dead-letter count a replayed message carries', async () => {
    await consume(async () => {
      throw new PermanentError('still wrong');
    });
    await kafka.sendRaw(Topics.logs.name, [
      {
        key: 'payment',
        value: JSON.stringify(logLine),
        headers: { [DEAD_LETTER_COUNT_HEADER]: '2' },
      },
    ]);
    expect(kafka.published(Topics.dlq)[0]?.headers[DEAD_LETTER_COUNT_HEADER]).toBe('3');
  });

  it('gives up on a failure nobody can explain after the attempts', async () => {
    let calls = 0;
    await consume(async () => {
      calls++;
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    });
    await kafka.send(Topics.logs, [logLine]);
    expect(calls).toBe(3);
    expect(kafka.published(Topics.dlq)).toMatchObject([
      { reason: expect.stringMatching(/^handler failed after 3 attempts: Cannot read/) },
    ]);
  });

  it('stops waiting when it stops, leaving the message uncommitted and out of the DLQ', async () => {
    let calls = 0;
    await consume(async () => {
      calls++;
      throw neo4jDown();
    });
    const delivery = kafka.send(Topics.logs, [logLine]);
    while (calls < 3) await new Promise((resolve) => setTimeout(resolve, 1));
    await consumer.stop();
    await expect(delivery).rejects.toThrow(/stopping/);
    expect(kafka.messages(Topics.dlq.name)).toHaveLength(0);
  });
});
