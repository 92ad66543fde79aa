import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Subject } from 'rxjs';
import { boardFeeds, IncidentBoard, type IncidentListItem } from '@vigil/incident-view';
import { type ContractConsumer, ServiceConsumers, subscription } from '@vigil/messaging';

/**
 * Every incident topic folded into the board, from the start of each topic: the console is a
 * read model, so each process reads the history under its own throwaway group.
 */
@Injectable()
export class IncidentFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly board = new IncidentBoard();
  readonly changes = new Subject<IncidentListItem>();
  private consumer?: ContractConsumer;

  constructor(@Inject(ServiceConsumers) private readonly consumers: ServiceConsumers) {}

  async onApplicationBootstrap(): Promise<void> {
    const emit = (item: IncidentListItem | undefined) => {
      if (item) this.changes.next(item);
    };
    this.consumer = await this.consumers.start(
      boardFeeds(this.board, (topic, apply) => subscription(topic, async (e) => emit(apply(e)))),
      { groupId: `vigil-console-${randomUUID()}`, fromBeginning: true },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.changes.complete();
    await this.consumer?.stop();
  }
}
