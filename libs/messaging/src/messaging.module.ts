import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { LoggerService } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { createKafka } from './kafka-client';
import type { KafkaSettings } from './kafka-settings';
import { EventPublisher } from './event-publisher';

export const KAFKA = Symbol('KAFKA');

/** Provides the app's Kafka client and its EventPublisher; the producer is closed on shutdown. */
@Global()
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(@Inject(EventPublisher) private readonly publisher: EventPublisher) {}

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
