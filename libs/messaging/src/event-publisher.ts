import type { Kafka, Message, Producer } from 'kafkajs';
import { CompressionTypes, Partitioners } from 'kafkajs';
import type { TopicDefinition } from '@vigil/contracts';
import { messagesPublished } from '@vigil/telemetry';
import type { z } from 'zod';
import { traceHeaders } from './trace-headers';

/**
 * The most bytes of records one send carries. The broker refuses a record batch over its
 * message.max.bytes (1 MiB by default) with MESSAGE_TOO_LARGE, and kafkajs puts all of a send's
 * records for one partition in one batch: a relay that forwards a whole fetched batch (up to 1 MiB
 * per partition) onto fewer partitions, with bigger records, would pass that limit.
 */
export const defaultMaxSendBytes = 768 * 1024;

export interface EventPublisherOptions {
  /** Sends are split so that no send carries more record bytes than this. */
  maxSendBytes?: number;
}

export interface PublishOptions {
  headers?: Record<string, string>;
  /** gzip the batch: worth it for large, repetitive records such as state snapshots. */
  compress?: boolean;
}

/** The publisher's partitioner; for keys it keeps no state, so one serves every lookup. */
const keyPartitioner = Partitioners.DefaultPartitioner();

/**
 * The partition the publisher puts a record with `key` on, in a topic of `partitions` partitions
 * (murmur2 of the key, as the Java client): instances that split a group's partitions tell by it
 * who holds a key's records.
 */
export function partitionOfKey(topic: string, key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    offlineReplicas: [],
  }));
  return keyPartitioner({ topic, partitionMetadata, message: { key, value: null } });
}

/**
 * Publishes contract-checked events, keyed as the topic registry says, with the trace context in
 * the headers. An event that breaks its own contract is a bug in the caller: it throws, nothing is sent.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private connected = false;

  private readonly maxSendBytes: number;

  constructor(kafka: Kafka, options: EventPublisherOptions = {}) {
    this.maxSendBytes = options.maxSendBytes ?? defaultMaxSendBytes;
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

  /**
   * For bytes that are not ours to validate: the DLQ and replay tools. Large sends go in parts of
   * at most `maxSendBytes`, one after the other, so records keep their order within a partition.
   * A rejection means some parts may be written: the caller's retry may write them again, which
   * consumers of an at-least-once topic already tolerate.
   */
  async sendRaw(topicName: string, messages: Message[], compress = false): Promise<void> {
    await this.connect();
    const compression = compress ? CompressionTypes.GZIP : CompressionTypes.None;
    for (const part of splitBySize(messages, this.maxSendBytes)) {
      await this.producer.send({ topic: topicName, messages: part, compression });
      messagesPublished.inc({ topic: topicName }, part.length);
    }
  }
}

/** Record bytes of a message as the broker counts them, near enough: key, value, headers, framing. */
function recordBytes(message: Message): number {
  let bytes = 24 + byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {}))
    bytes +=
      8 +
      name.length +
      (Array.isArray(value) ? value : [value]).reduce((n, v) => n + byteLength(v), 0);
  return bytes;
}

function byteLength(data: string | Buffer | null | undefined): number {
  if (data === null || data === undefined) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}

/**
 * Consecutive parts of at most `maxBytes` each; a single larger message is a part of its own (the
 * broker judges it against the topic's limit).
 */
export function splitBySize(messages: Message[], maxBytes: number): Message[][] {
  const parts: Message[][] = [];
  let part: Message[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = recordBytes(message);
    if (part.length > 0 && bytes + size > maxBytes) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(message);
    bytes += size;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
