import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { boardFeeds, IncidentBoard, type IncidentListItem } from '@vigil/incident-view';
import { type ContractConsumer, ServiceConsumers, subscription } from '@vigil/messaging';
import { CardPublisher } from './card-publisher.service';

/**
 * Every incident topic folded into the incident board; each change goes on to the card. A message
 * that is not JSON or breaks its contract goes to the DLQ and the consumer carries on.
 */
@Injectable()
export class IncidentFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;

  constructor(
    @Inject(ServiceConsumers) private readonly consumers: ServiceConsumers,
    @Inject(IncidentBoard) private readonly board: IncidentBoard,
    @Inject(CardPublisher) private readonly cards: CardPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const show = async (item: IncidentListItem | undefined) => this.cards.changed(item);
    this.consumer = await this.consumers.start(
      boardFeeds(this.board, (topic, apply) => subscription(topic, async (e) => show(apply(e)))),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
