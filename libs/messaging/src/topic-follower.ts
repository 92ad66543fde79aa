import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { TopicDefinition } from '@vigil/contracts';
import type { z } from 'zod';
import {
  ContractConsumer,
  subscription,
  type EventHandler,
  type MessageMeta,
} from './contract-consumer';
import type { EventPublisher } from './event-publisher';

export interface TopicFollowerOptions<S extends z.ZodType> {
  topic: TopicDefinition<S>;
  /** Its throwaway group is this prefix and a random suffix: every instance reads the whole topic. */
  groupPrefix: string;
  publisher: EventPublisher;
  logger: LoggerService;
  handler: EventHandler<z.output<S>>;
  /** How long `start` waits for the history before it goes on anyway (it says so in the log). */
  catchUpTimeoutMs: number;
  /** What the history is, for that log line: "alert policy", "feedback". */
  what: string;
}

/**
 * Reads a whole topic from its beginning, in a group of its own, and keeps following it: for
 * state every instance needs in full before it works (silences, people's corrections). `start`
 * resolves once the records written before it are handled, or after the timeout.
 */
export class TopicFollower<S extends z.ZodType> {
  private consumer?: ContractConsumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TopicFollowerOptions<S>,
  ) {}

  async start(): Promise<void> {
    const { topic, handler, logger } = this.options;
    const pending = await this.lastOffsets();
    let caughtUp: () => void = () => undefined;
    const loaded = new Promise<void>((resolve) => {
      caughtUp = resolve;
      if (pending.size === 0) resolve();
    });
    // the history ends at the offsets found now: a record up to them counts towards catching up,
    // handled or not, and a bad one among them was parked when it was new
    const history = new Map(pending);
    const settled = (meta: MessageMeta) => {
      const last = pending.get(meta.partition);
      if (last !== undefined && BigInt(meta.offset) >= last) pending.delete(meta.partition);
      if (pending.size === 0) caughtUp();
    };
    this.consumer = new ContractConsumer(this.kafka, {
      groupId: `${this.options.groupPrefix}-${randomUUID()}`,
      fromBeginning: true,
      publisher: this.options.publisher,
      logger,
      onParked: settled,
      readAgain: (partition, offset) => BigInt(offset) <= (history.get(partition) ?? -1n),
      subscriptions: [
        subscription(topic, async (event, meta) => {
          await handler(event, meta);
          settled(meta);
        }),
      ],
    });
    await this.consumer.start();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        logger.warn({ msg: `${this.options.what} history not read in time: starting anyway` });
        resolve();
      }, this.options.catchUpTimeoutMs);
    });
    await Promise.race([loaded, timeout]);
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  /** The last offset written before the start, per partition that holds any record. */
  private async lastOffsets(): Promise<Map<number, bigint>> {
    const pending = new Map<number, bigint>();
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const p of await admin.fetchTopicOffsets(this.options.topic.name))
        if (BigInt(p.high) > BigInt(p.low)) pending.set(p.partition, BigInt(p.high) - 1n);
    } finally {
      await admin.disconnect();
    }
    return pending;
  }
}
