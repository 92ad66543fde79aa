import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { boardFeeds, IncidentBoard, type IncidentListItem } from '@vigil/incident-view';
import {
  ContractConsumer,
  EventPublisher,
  KAFKA,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import { CardPublisher } from './card-publisher.service';
import type { ChatopsSettings } from './chatops.config';

/**
 * Every incident topic folded into the incident board; each change goes on to the card. A message
 * that is not JSON or breaks its contract goes to the DLQ and the consumer carries on.
 */
@Injectable()
export class IncidentFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly settings: ChatopsSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(IncidentBoard) private readonly board: IncidentBoard,
    @Inject(CardPublisher) private readonly cards: CardPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const board = this.board;
    const show = async (item: IncidentListItem | undefined) => this.cards.changed(item);
    this.consumer = new ContractConsumer(this.kafka, {
      groupId: this.settings.group,
      fromBeginning: this.settings.startAt === 'earliest',
      publisher: this.publisher,
      logger: this.logger,
      subscriptions: boardFeeds(board, (topic, apply) =>
        subscription(topic, async (e) => show(apply(e))),
      ),
    });
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
