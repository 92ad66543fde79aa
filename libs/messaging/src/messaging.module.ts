import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { allTopics } from '@vigil/contracts';
import { ensureTopics } from './topic-provisioner';
import type { LoggerService } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { createKafka } from './kafka-client';
import type { KafkaSettings } from './kafka-settings';
import { EventPublisher } from './event-publisher';

export const KAFKA = Symbol('KAFKA');

/** Provides the app's Kafka client and its EventPublisher, creates missing topics, closes the producer on shutdown. */
@Global()
@Module({})
export class MessagingModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(KAFKA) private readonly kafka: Kafka,
  ) {}

  /** Topics get the partition counts of the registry, not the broker's default, whoever starts first. */
  async onModuleInit(): Promise<void> {
    await ensureTopics(this.kafka, allTopics);
  }

  static forRoot(settings: KafkaSettings, logger?: LoggerService): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: KAFKA, useFactory: () => createKafka(settings, logger) },
        {
          provide: EventPublisher,
          useFactory: (kafka: Kafka) => new EventPublisher(kafka),
          inject: [KAFKA],
        },
      ],
      exports: [KAFKA, EventPublisher],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
  }
}
