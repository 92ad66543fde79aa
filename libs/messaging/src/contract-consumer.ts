import { context } from '@opentelemetry/api';
import type { LoggerService } from '@nestjs/common';
import type { Consumer, EachBatchPayload, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import { decodeEvent, type TopicDefinition } from '@vigil/contracts';
import { handlerDuration, messagesConsumed } from '@vigil/telemetry';
import type { z } from 'zod';
import { sendToDeadLetter } from './dead-letter';
import type { EventPublisher } from './event-publisher';
import { defaultRetryPolicy, withRetries, type RetryPolicy } from './retry-policy';
import { contextFromHeaders } from './trace-headers';

export interface MessageMeta {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
}

export type EventHandler<T> = (event: T, meta: MessageMeta) => Promise<void>;
export type BatchHandler<T> = (records: Array<{ event: T; meta: MessageMeta }>) => Promise<void>;

export interface Subscription<S extends z.ZodType = z.ZodType> {
  topic: TopicDefinition<S>;
  handler: EventHandler<z.output<S>>;
}

export interface BatchSubscription<S extends z.ZodType = z.ZodType> {
  topic: TopicDefinition<S>;
  batchHandler: BatchHandler<z.output<S>>;
}

export interface ContractConsumerOptions {
  groupId: string;
  /** Either per-message subscriptions or one batch subscription (for relays that publish in bulk). */
  subscriptions: Subscription[] | [BatchSubscription];
  publisher: EventPublisher;
  logger: LoggerService;
  retryPolicy?: RetryPolicy;
  fromBeginning?: boolean;
}

export function batchSubscription<S extends z.ZodType>(
  topic: TopicDefinition<S>,
  batchHandler: BatchHandler<z.output<S>>,
): BatchSubscription {
  return { topic, batchHandler } as BatchSubscription;
}

export function subscription<S extends z.ZodType>(
  topic: TopicDefinition<S>,
  handler: EventHandler<z.output<S>>,
): Subscription {
  return { topic, handler: handler as EventHandler<unknown> } as Subscription;
}

/**
 * Consumes contract topics: every message is decoded and validated; malformed or schema-violating
 * ones, and those whose handler keeps failing, go to the DLQ with the reason and the consumer moves
 * on. Offsets are committed only after a message is handled or parked, so a crash loses nothing.
 */
export class ContractConsumer {
  private readonly consumer: Consumer;
  private readonly byTopic: Map<string, Subscription | BatchSubscription>;

  constructor(
    kafka: Kafka,
    private readonly options: ContractConsumerOptions,
  ) {
    // A shorter session than kafkajs' 30 s default: a crashed instance's partitions move on sooner.
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 2_000,
    });
    this.byTopic = new Map(options.subscriptions.map((s) => [s.topic.name, s]));
  }

  async start(): Promise<void> {
    await this.options.publisher.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.byTopic.keys()],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    const [first] = this.options.subscriptions;
    if (first && 'batchHandler' in first) {
      await this.consumer.run({
        autoCommit: true,
        eachBatch: (payload) => this.handleBatch(first, payload),
      });
    } else {
      await this.consumer.run({ autoCommit: true, eachMessage: (payload) => this.handle(payload) });
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  /** Throws only when even the DLQ cannot be written: then kafkajs retries and nothing is committed. */
  private async handle({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const subscription = this.byTopic.get(topic);
    if (!subscription || !('handler' in subscription)) return;
    const decoded = decodeEvent(subscription.topic, message.value);
    const meta: MessageMeta = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      headers: {},
    };
    const park = (
      errorKind: 'malformed-json' | 'schema-violation' | 'processing-failed',
      reason: string,
      attempts: number,
    ) => this.park({ topic, partition, message, errorKind, reason, attempts });

    if (!decoded.ok) return park(decoded.kind, decoded.reason, 1);

    const stopTimer = handlerDuration.startTimer({ topic });
    const outcome = await context.with(contextFromHeaders(message.headers), () =>
      withRetries(
        () => subscription.handler(decoded.value, meta),
        this.options.retryPolicy ?? defaultRetryPolicy,
      ),
    );
    stopTimer();
    if (outcome.ok) {
      messagesConsumed.inc({ topic, outcome: outcome.attempts > 1 ? 'retried' : 'ok' });
      return;
    }
    const why = outcome.permanent ? 'refused' : `failed after ${outcome.attempts} attempts`;
    return park('processing-failed', `handler ${why}: ${outcome.error.message}`, outcome.attempts);
  }

  /** Bad messages are parked one by one; the good ones go to the handler together, with retries. */
  private async handleBatch(
    subscription: BatchSubscription,
    { batch, heartbeat }: EachBatchPayload,
  ): Promise<void> {
    const { topic, partition } = batch;
    const good: Array<{ event: unknown; meta: MessageMeta; message: KafkaMessage }> = [];
    for (const message of batch.messages) {
      const decoded = decodeEvent(subscription.topic, message.value);
      if (!decoded.ok) {
        await this.park({
          topic,
          partition,
          message,
          errorKind: decoded.kind,
          reason: decoded.reason,
          attempts: 1,
        });
        continue;
      }
      const meta = {
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString('utf8') ?? null,
        headers: {},
      };
      good.push({ event: decoded.value, meta, message });
    }
    if (good.length > 0) {
      const stopTimer = handlerDuration.startTimer({ topic });
      const outcome = await withRetries(
        () => subscription.batchHandler(good),
        this.options.retryPolicy ?? defaultRetryPolicy,
      );
      stopTimer();
      if (outcome.ok) messagesConsumed.inc({ topic, outcome: 'ok' }, good.length);
      else {
        const reason = `batch handler failed after ${outcome.attempts} attempts: ${outcome.error.message}`;
        for (const { message } of good) {
          await this.park({
            topic,
            partition,
            message,
            errorKind: 'processing-failed',
            reason,
            attempts: outcome.attempts,
          });
        }
      }
    }
    await heartbeat();
  }

  private async park(
    failed: Omit<Parameters<typeof sendToDeadLetter>[1], 'consumerGroup'>,
  ): Promise<void> {
    await sendToDeadLetter(this.options.publisher, {
      ...failed,
      consumerGroup: this.options.groupId,
    });
    messagesConsumed.inc({ topic: failed.topic, outcome: 'dlq' });
    this.options.logger.warn(
      {
        msg: 'message sent to the DLQ',
        topic: failed.topic,
        partition: failed.partition,
        offset: failed.message.offset,
        errorKind: failed.errorKind,
        reason: failed.reason,
      },
      'ContractConsumer',
    );
  }
}
