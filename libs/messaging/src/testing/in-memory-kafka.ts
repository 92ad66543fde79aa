import type { EachBatchPayload, EachMessagePayload, Kafka, KafkaMessage, Message } from 'kafkajs';
import { decodeEvent, type TopicDefinition } from '@vigil/contracts';
import type { z } from 'zod';

type RunOptions = {
  eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  eachBatch?: (payload: EachBatchPayload) => Promise<void>;
};

interface Subscriber {
  topics: Set<string>;
  run?: RunOptions;
}

const toBuffer = (value: Message['value'] | Message['key']): Buffer | null =>
  value === null || value === undefined ? null : Buffer.from(value);

/**
 * Kafka in memory, for specs of a service's wiring: the service's real EventPublisher and
 * ContractConsumer run on it unchanged. One partition per topic; every message sent (by the service
 * or by the spec) is kept, so a spec reads what the service published, and is handed to the
 * consumers subscribed to its topic before `send` returns, so a spec needs no waiting.
 */
export class InMemoryKafka {
  private readonly logs = new Map<string, KafkaMessage[]>();
  private readonly subscribers = new Set<Subscriber>();
  private readonly replays: Array<Promise<void>> = [];

  /** This object where kafkajs' client is expected. */
  get client(): Kafka {
    return this as unknown as Kafka;
  }

  /** Publishes contract-checked events, as a producer in another service would. */
  async send<S extends z.ZodType>(
    topic: TopicDefinition<S>,
    events: ReadonlyArray<z.input<S>>,
  ): Promise<void> {
    await this.append(
      topic.name,
      events.map((event) => {
        const valid = topic.schema.parse(event);
        return { key: topic.keyOf(valid), value: JSON.stringify(valid) };
      }),
    );
  }

  /** Bytes nobody checked: what a broken producer would put on the topic. */
  async sendRaw(topic: string, messages: Message[]): Promise<void> {
    await this.append(topic, messages);
  }

  /** The events on a topic so far, decoded by its contract (throws on one that breaks it). */
  published<S extends z.ZodType>(topic: TopicDefinition<S>): Array<z.output<S>> {
    return this.messages(topic.name).map((message) => {
      const decoded = decodeEvent(topic, message.value);
      if (!decoded.ok) throw new Error(`${topic.name} holds a bad message: ${decoded.reason}`);
      return decoded.value;
    });
  }

  messages(topic: string): KafkaMessage[] {
    return [...(this.logs.get(topic) ?? [])];
  }

  /** Waits for the replays consumers started with `fromBeginning`. */
  async settle(): Promise<void> {
    await Promise.all(this.replays);
  }

  producer() {
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async ({ topic, messages }: { topic: string; messages: Message[] }) => {
        await this.append(topic, messages);
        return [];
      },
    };
  }

  consumer(options: { groupId: string }) {
    const subscriber: Subscriber = { topics: new Set() };
    let fromBeginning = false;
    const joinListeners: Array<(event: unknown) => void> = [];
    return {
      events: inMemoryConsumerEvents,
      /** Only GROUP_JOIN is ever emitted: every consumer is its group's only member. */
      on: (event: string, listener: (event: unknown) => void) => {
        if (event === inMemoryConsumerEvents.GROUP_JOIN) joinListeners.push(listener);
        return () => undefined;
      },
      connect: async () => undefined,
      disconnect: async () => {
        this.subscribers.delete(subscriber);
      },
      subscribe: async (options: {
        topic?: string;
        topics?: string[];
        fromBeginning?: boolean;
      }) => {
        for (const topic of options.topics ?? [options.topic ?? '']) subscriber.topics.add(topic);
        fromBeginning = options.fromBeginning ?? false;
      },
      run: async (run: RunOptions) => {
        subscriber.run = run;
        this.subscribers.add(subscriber);
        const memberAssignment = Object.fromEntries([...subscriber.topics].map((t) => [t, [0]]));
        const payload = { groupId: options.groupId, memberId: 'in-memory', memberAssignment };
        for (const listener of joinListeners) listener({ payload });
        // kafkajs' run returns before the first fetch: replay what is there in the background.
        if (fromBeginning) this.replays.push(this.replay(subscriber));
      },
    };
  }

  admin() {
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchTopicOffsets: async (topic: string) => [
        {
          partition: 0,
          offset: String(this.messages(topic).length),
          low: '0',
          high: String(this.messages(topic).length),
        },
      ],
      deleteGroups: async () => [],
      listTopics: async () => [...this.logs.keys()],
      createTopics: async ({ topics }: { topics: Array<{ topic: string }> }) => {
        for (const { topic } of topics) if (!this.logs.has(topic)) this.logs.set(topic, []);
        return true;
      },
    };
  }

  private async append(topic: string, messages: Message[]): Promise<void> {
    const log = this.logs.get(topic) ?? [];
    this.logs.set(topic, log);
    const added = messages.map(
      (m, i): KafkaMessage => ({
        key: toBuffer(m.key),
        value: toBuffer(m.value),
        offset: String(log.length + i),
        timestamp: String(Date.now()),
        attributes: 0,
        headers: { ...m.headers },
      }),
    );
    log.push(...added);
    for (const subscriber of [...this.subscribers])
      if (subscriber.topics.has(topic)) await deliver(subscriber, topic, added);
  }

  private async replay(subscriber: Subscriber): Promise<void> {
    await Promise.resolve();
    for (const topic of subscriber.topics) await deliver(subscriber, topic, this.messages(topic));
  }
}

/** The names kafkajs gives the consumer's instrumentation events that Vigil listens to. */
const inMemoryConsumerEvents = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };

async function deliver(
  subscriber: Subscriber,
  topic: string,
  messages: KafkaMessage[],
): Promise<void> {
  const run = subscriber.run;
  if (!run || messages.length === 0) return;
  const partition = 0;
  const heartbeat = async () => undefined;
  if (run.eachBatch) {
    const batch = { topic, partition, messages, highWatermark: String(messages.length) };
    await run.eachBatch({ batch, heartbeat } as unknown as EachBatchPayload);
    return;
  }
  for (const message of messages)
    await run.eachMessage?.({
      topic,
      partition,
      message,
      heartbeat,
    } as unknown as EachMessagePayload);
}
