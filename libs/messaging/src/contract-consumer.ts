import { context } from '@opentelemetry/api';
import type { LoggerService } from '@nestjs/common';
import type { Consumer, EachBatchPayload, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import { decodeEvent, type TopicDefinition } from '@vigil/contracts';
import { handlerDuration, messagesConsumed } from '@vigil/telemetry';
import type { z } from 'zod';
import { restartAfterFatalCrash } from './consumer-restart';
import { sendToDeadLetter } from './dead-letter';
import type { EventPublisher } from './event-publisher';
import {
  defaultRetryPolicy,
  retryThroughOutages,
  type AttemptOutcome,
  type RetryPolicy,
} from './retry-policy';
import { heartbeatEveryMs, whileBeating } from './heartbeats';
import { contextFromHeaders, headersAsStrings } from './trace-headers';

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
  /**
   * Called each time the group hands this member its partitions (topic to partitions): work that
   * belongs with a partition, and was in flight elsewhere, can be looked at again here.
   */
  onJoin?: (assignment: Record<string, number[]>) => void;
  /** Called for each message of a per-message subscription that went to the DLQ, or was passed over. */
  onParked?: (meta: MessageMeta) => void;
  /**
   * True for a message this consumer reads again (a group that is new at every start, reading a
   * topic from its beginning): a bad one is passed over with a warning instead of parked once
   * more at every start.
   */
  readAgain?: (partition: number, offset: string) => boolean;
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

/** Ends a retry wait: the consumer is stopping. The message stays uncommitted for the next owner. */
class ConsumerStopping extends Error {
  constructor() {
    super('the consumer is stopping: the message is left for the next start');
    this.name = 'ConsumerStopping';
  }
}

/**
 * Consumes contract topics: every message is decoded and validated; malformed or schema-violating
 * ones go to the DLQ at once with the reason, and the consumer moves on. A handler failure that a
 * dependency outage explains (connection refused, Neo4j unavailable, a timeout: see
 * `classifyFailure`) holds the partition: the same message is tried again with backoff, for as
 * long as the outage lasts, while the group session is kept alive. A handler's PermanentError
 * goes to the DLQ at once; any other failure after `retryPolicy.attempts` tries. Offsets are
 * committed only after a message is handled or parked, so a crash loses nothing.
 */
export class ContractConsumer {
  private readonly consumer: Consumer;
  private readonly byTopic: Map<string, Subscription | BatchSubscription>;
  /** Aborted by stop(): ends any retry wait at once. */
  private readonly stopping = new AbortController();
  /** Resolved when the consumer first joins its group (and so has partitions to read). */
  private readonly firstJoin: Promise<void>;
  /** The partitions of each topic the group gave this member at its latest join. */
  private assignment?: Record<string, number[]>;
  private stopRestarts: () => void = () => undefined;

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
    this.firstJoin = new Promise((resolve) => {
      // Kafka in memory (specs) has no group to join.
      if (!this.consumer.events?.GROUP_JOIN) return resolve();
      this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
        this.assignment = payload.memberAssignment;
        resolve();
        options.onJoin?.(payload.memberAssignment);
      });
    });
  }

  /**
   * Whether this member holds the partition now: instances that share a group split the work by
   * it. Before the first join, nothing; on Kafka in memory, which has no group, everything.
   */
  holds(topic: string, partition: number): boolean {
    if (!this.consumer.events?.GROUP_JOIN) return true;
    return this.assignment?.[topic]?.includes(partition) ?? false;
  }

  /**
   * Resolves once the consumer has joined its group. A new group that starts at the end takes its
   * position when it joins: what is published before then is not read.
   */
  joined(): Promise<void> {
    return this.firstJoin;
  }

  async start(): Promise<void> {
    await this.options.publisher.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.byTopic.keys()],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    const [first] = this.options.subscriptions;
    const run =
      first && 'batchHandler' in first
        ? () =>
            this.consumer.run({
              autoCommit: true,
              eachBatch: (payload) => this.handleBatch(first, payload),
            })
        : () =>
            this.consumer.run({ autoCommit: true, eachMessage: (payload) => this.handle(payload) });
    this.stopRestarts = restartAfterFatalCrash(this.consumer, run, {
      name: this.options.groupId,
      logger: this.options.logger,
    });
    await run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.stopRestarts();
    await this.consumer.disconnect();
  }

  /** Throws only when even the DLQ cannot be written: then kafkajs retries and nothing is committed. */
  private async handle({
    topic,
    partition,
    message,
    heartbeat,
  }: EachMessagePayload): Promise<void> {
    const subscription = this.byTopic.get(topic);
    if (!subscription || !('handler' in subscription)) return;
    const decoded = decodeEvent(subscription.topic, message.value);
    const meta: MessageMeta = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      headers: headersAsStrings(message.headers),
    };
    const park = async (
      errorKind: 'malformed-json' | 'schema-violation' | 'processing-failed',
      reason: string,
      attempts: number,
    ) => {
      if (this.options.readAgain?.(partition, message.offset))
        this.options.logger.warn(
          {
            msg: 'a bad message read again is passed over',
            topic,
            partition,
            offset: message.offset,
            reason,
          },
          'ContractConsumer',
        );
      else await this.park({ topic, partition, message, errorKind, reason, attempts });
      this.options.onParked?.(meta);
    };

    if (!decoded.ok) return park(decoded.kind, decoded.reason, 1);

    const stopTimer = handlerDuration.startTimer({ topic });
    const outcome = await context.with(contextFromHeaders(message.headers), () =>
      this.retried(() => subscription.handler(decoded.value, meta), heartbeat, {
        topic,
        partition,
        offset: message.offset,
      }),
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
        headers: headersAsStrings(message.headers),
      };
      good.push({ event: decoded.value, meta, message });
    }
    if (good.length > 0) {
      const stopTimer = handlerDuration.startTimer({ topic });
      const outcome = await this.retried(() => subscription.batchHandler(good), heartbeat, {
        topic,
        partition,
        offset: good[0]?.message.offset ?? '',
      });
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

  /**
   * The handler's work with retries (see the class comment). The group session is kept alive
   * while it runs and while it waits; a rebalance or a stop during a wait ends it by throwing, so
   * kafkajs does not commit the message and its next owner handles it.
   */
  private retried(
    work: () => Promise<void>,
    heartbeat: () => Promise<void>,
    where: { topic: string; partition: number; offset: string },
  ): Promise<AttemptOutcome<void>> {
    return retryThroughOutages(
      () => whileBeating(heartbeat, work),
      this.options.retryPolicy ?? defaultRetryPolicy,
      {
        sleep: (ms) => this.waitBeating(ms, heartbeat),
        onTransient: (error, attempt, waitMs) =>
          this.options.logger.warn(
            {
              msg: 'a dependency is unavailable: partition held, the message is tried again',
              ...where,
              attempt,
              retryInMs: waitMs,
              error: error.message,
            },
            'ContractConsumer',
          ),
      },
    );
  }

  /** Waits `ms` in short steps, heartbeating; throws when the consumer stops or the group rebalances. */
  private async waitBeating(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const signal = this.stopping.signal;
    for (let left = ms; left > 0; left -= heartbeatEveryMs) {
      if (signal.aborted) throw new ConsumerStopping();
      await abortableSleep(Math.min(left, heartbeatEveryMs), signal);
      if (signal.aborted) throw new ConsumerStopping();
      await heartbeat();
    }
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

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
