import { Topics, type LogRecord } from '@vigil/contracts';
import { EventPublisher } from './event-publisher';
import { TopicFollower } from './topic-follower';
import { InMemoryKafka } from './testing/in-memory-kafka';
import { quietLogger } from './testing/service-spec';

const line = (body: string): LogRecord => ({
  schemaVersion: 1,
  service: 'payment',
  level: 'info',
  body,
  attributes: {},
  time: '2026-11-27T10:00:00.000Z',
});

describe('TopicFollower: the whole history before a start, bad records among it', () => {
  let kafka: InMemoryKafka;
  const followers: Array<TopicFollower<typeof Topics.logs.schema>> = [];

  async function follow(seen: string[]): Promise<void> {
    const follower = new TopicFollower(kafka.client, {
      topic: Topics.logs,
      groupPrefix: 'spec-follower',
      publisher: new EventPublisher(kafka.client),
      logger: quietLogger,
      handler: async (event) => void seen.push(event.body),
      // longer than the test may take: a start that waited for it fails the test
      catchUpTimeoutMs: 60_000,
      what: 'spec history',
    });
    followers.push(follower);
    await follower.start();
  }

  beforeEach(() => (kafka = new InMemoryKafka()));
  afterEach(async () => {
    for (const f of followers.splice(0)) await f.stop();
  });

  it('is caught up when the last record of the history is a bad one, without waiting the timeout', async () => {
    await kafka.send(Topics.logs, [line('first')]);
    await kafka.sendRaw(Topics.logs.name, [{ key: 'payment', value: '{"not":"a log"}' }]);
    const seen: string[] = [];
    await follow(seen);
    expect(seen).toEqual(['first']);
  });

  it('parks a bad record once when it is new, and passes it over when it reads it again at a start', async () => {
    await follow([]);
    await kafka.sendRaw(Topics.logs.name, [{ key: 'payment', value: '{"not":"a log"}' }]);
    await kafka.settle();
    expect(kafka.published(Topics.dlq)).toHaveLength(1);
    await follow([]);
    await follow([]);
    await kafka.settle();
    expect(kafka.published(Topics.dlq)).toHaveLength(1);
  });
});
