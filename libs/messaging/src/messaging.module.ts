import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { allTopics } from '@vigil/contracts';
import { isAuthorizationRefusal } from './kafka-access-errors';
import { provisionTopics } from './topic-provisioner';
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

  private readonly logger = new Logger('Kafka');

  /**
   * Topics get the partitions and settings of the registry, not the broker's defaults, whoever
   * starts first. Topics made before their settings were applied (kept for ever, compacted) get
   * them now, where the app may change topic settings. On a secured cluster a service may not, and
   * the admin does (`vigil topics check --fix`): a refusal is no reason to stop.
   */
  async onModuleInit(): Promise<void> {
    const { settings } = await provisionTopics(this.kafka, allTopics);
    if ('error' in settings) {
      if (!isAuthorizationRefusal(settings.error))
        this.logger.warn({
          msg: "could not compare the topics' settings with the registry's",
          error: settings.error instanceof Error ? settings.error.message : String(settings.error),
        });
    } else if (settings.fixed.length > 0)
      this.logger.log({
        msg: "topic settings set to the registry's",
        topics: settings.fixed,
        drift: settings.drift,
      });
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
