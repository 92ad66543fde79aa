import type { LoggerService } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { ContractConsumer, type ContractConsumerOptions } from './contract-consumer';
import type { EventPublisher } from './event-publisher';

/** What a service's settings say about consuming: its `<APP>_GROUP` and `<APP>_START_AT`. */
export interface ConsumerSettings {
  group?: string;
  startAt?: 'earliest' | 'latest';
}

/**
 * What a service may set for one consumer: a group and start position instead of its settings',
 * and work to do at each join of the group.
 */
export type ConsumerOverrides = Partial<
  Pick<ContractConsumerOptions, 'groupId' | 'fromBeginning' | 'onJoin'>
>;

/**
 * Starts a service's contract consumers on the app's Kafka client, publisher (for the DLQ) and
 * logger, in the group and from the start position of the app's settings. `vigilServiceModule`
 * provides one to every app with Kafka; a spec builds one on InMemoryKafka.
 */
export class ServiceConsumers {
  constructor(
    private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
    private readonly logger: LoggerService,
    private readonly settings: ConsumerSettings,
  ) {}

  /** A started consumer of `subscriptions`: the service stops it when the app shuts down. */
  async start(
    subscriptions: ContractConsumerOptions['subscriptions'],
    overrides: ConsumerOverrides = {},
  ): Promise<ContractConsumer> {
    const groupId = overrides.groupId ?? this.settings.group;
    if (!groupId) throw new Error('a consumer needs a group: the settings name none');
    // no start position in the settings: ContractConsumer's own default (the beginning)
    const startAt = this.settings.startAt;
    const fromBeginning = startAt === undefined ? undefined : startAt === 'earliest';
    const consumer = new ContractConsumer(this.kafka, {
      groupId,
      subscriptions,
      publisher: this.publisher,
      logger: this.logger,
      fromBeginning: overrides.fromBeginning ?? fromBeginning,
      onJoin: overrides.onJoin,
    });
    await consumer.start();
    return consumer;
  }
}
