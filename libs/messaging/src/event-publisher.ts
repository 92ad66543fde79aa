import type { Kafka, Message, Producer } from 'kafkajs';
import { CompressionTypes, Partitioners } from 'kafkajs';
import type { TopicDefinition } from '@vigil/contracts';
import { messagesPublished } from '@vigil/telemetry';
import type { z } from 'zod';
import { traceHeaders } from './trace-headers';

export interface PublishOptions {
  headers?: Record<string, string>;
  /** gzip the batch: worth it for large, repetitive records such as state snapshots. */
  compress?: boolean;
}

/**
 * Publishes contract-checked events, keyed as the topic registry says, with the trace context in
 * the headers. An event that breaks its own contract is a bug in the caller: it throws, nothing is sent.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private connected = false;

  constructor(kafka: Kafka) {
    // Idempotent producing: retries after a lost ack do not write a message twice.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
      // The murmur2 partitioner of the Java client: Vigil's keys land where other producers' do.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    await this.producer.disconnect();
    this.connected = false;
  }

  async publish<S extends z.ZodType>(
    topic: TopicDefinition<S>,
    event: z.input<S>,
    options: PublishOptions = {},
  ): Promise<void> {
    await this.publishMany(topic, [event], options);
  }

  async publishMany<S extends z.ZodType>(
    topic: TopicDefinition<S>,
    events: ReadonlyArray<z.input<S>>,
    options: PublishOptions = {},
  ): Promise<void> {
    const headers = { ...traceHeaders(), ...options.headers };
    const messages: Message[] = events.map((event) => {
      const valid = topic.schema.parse(event);
      return { key: topic.keyOf(valid), value: JSON.stringify(valid), headers };
    });
    await this.sendRaw(topic.name, messages, options.compress);
  }

  /** For bytes that are not ours to validate: the DLQ and replay tools. */
  async sendRaw(topicName: string, messages: Message[], compress = false): Promise<void> {
    await this.connect();
    const compression = compress ? CompressionTypes.GZIP : CompressionTypes.None;
    await this.producer.send({ topic: topicName, messages, compression });
    messagesPublished.inc({ topic: topicName }, messages.length);
  }
}
