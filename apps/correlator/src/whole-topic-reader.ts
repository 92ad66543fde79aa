import type { LoggerService } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { z } from 'zod';
import type { TopicDefinition } from '@vigil/contracts';
import { TopicFollower, type EventPublisher } from '@vigil/messaging';

/** How long start-up waits for a topic's history before it goes on anyway. */
const catchUpTimeoutMs = 30_000;

/** The topic a reader follows, its group's prefix and what its history is called in the log. */
export interface WholeTopic<S extends z.ZodType> {
  topic: TopicDefinition<S>;
  groupPrefix: string;
  what: string;
}

/**
 * State every correlator instance needs in full: it reads the whole topic (its own throwaway
 * group, from the beginning) and keeps following it. `start` resolves once the history up to now
 * is handled (or after a timeout).
 */
export abstract class WholeTopicReader<S extends z.ZodType> {
  private follower?: TopicFollower<S>;

  constructor(
    private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
    protected readonly logger: LoggerService,
    private readonly source: WholeTopic<S>,
  ) {}

  /** One event of the topic, old or new. */
  protected abstract handle(event: z.output<S>): Promise<void>;

  async start(): Promise<void> {
    this.follower = new TopicFollower(this.kafka, {
      ...this.source,
      publisher: this.publisher,
      logger: this.logger,
      handler: (event) => this.handle(event),
      catchUpTimeoutMs,
    });
    await this.follower.start();
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
  }
}
