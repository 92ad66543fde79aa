import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Subject } from 'rxjs';
import { boardFeeds, IncidentBoard, type IncidentListItem } from '@vigil/incident-view';
import {
  ContractConsumer,
  EventPublisher,
  KAFKA,
  subscription,
  VIGIL_LOGGER,
} from '@vigil/messaging';

/**
 * Every incident topic folded into the board, from the start of each topic: the console is a
 * read model, so each process reads the history under its own throwaway group.
 */
@Injectable()
export class IncidentFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly board = new IncidentBoard();
  readonly changes = new Subject<IncidentListItem>();
  private consumer?: ContractConsumer;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const emit = (item: IncidentListItem | undefined) => {
      if (item) this.changes.next(item);
    };
    const board = this.board;
    this.consumer = new ContractConsumer(this.kafka, {
      groupId: `vigil-console-${randomUUID()}`,
      fromBeginning: true,
      publisher: this.publisher,
      logger: this.logger,
      subscriptions: boardFeeds(board, (topic, apply) =>
        subscription(topic, async (e) => emit(apply(e))),
      ),
    });
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.changes.complete();
    await this.consumer?.stop();
  }
}
