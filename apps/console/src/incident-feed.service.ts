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
import { MINUTE_MS } from '@vigil/config';
import { IncidentStoreRepository } from '@vigil/graph';
import { boardFeeds, IncidentBoard, type IncidentListItem } from '@vigil/incident-view';
import {
  commitGroupStartAt,
  type ContractConsumer,
  KAFKA,
  ServiceConsumers,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import { loadBoardFromStore } from './board-from-store';
import type { ConsoleSettings } from './console.config';

/** How far back the live topics are read: longer than the store's writer ever lags behind them. */
export const LIVE_LOOK_BACK_MS = 10 * MINUTE_MS;

/**
 * The console's live board: it starts from the incident store (Neo4j, written by topology-sync)
 * and then follows the incident topics from a short look-back, so start-up does not grow with
 * history and a topic's retention loses the console nothing. Events both in the store and in the
 * look-back are folded once (the board keeps each event id once). When the store cannot be read,
 * the topics are replayed from their beginning as before.
 */
@Injectable()
export class IncidentFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly board: IncidentBoard;
  readonly changes = new Subject<IncidentListItem>();
  private consumer?: ContractConsumer;

  constructor(
    @Inject(VIGIL_SETTINGS) settings: ConsoleSettings,
    @Inject(ServiceConsumers) private readonly consumers: ServiceConsumers,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(IncidentStoreRepository) private readonly store: IncidentStoreRepository,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
  ) {
    this.board = new IncidentBoard({ maxIncidents: settings.boardMaxIncidents });
  }

  async onApplicationBootstrap(): Promise<void> {
    const groupId = `vigil-console-${randomUUID()}`;
    const liveFrom = Date.now() - LIVE_LOOK_BACK_MS;
    const loaded = await this.loadFromStore(Date.now());
    if (loaded) await this.startGroupAt(groupId, liveFrom);
    const emit = (item: IncidentListItem | undefined) => {
      if (item) this.changes.next(item);
    };
    this.consumer = await this.consumers.start(
      boardFeeds(this.board, (topic, apply) => subscription(topic, async (e) => emit(apply(e)))),
      // a group with committed offsets starts from them; without, from the beginning
      { groupId, fromBeginning: true },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.changes.complete();
    await this.consumer?.stop();
  }

  /** Folds the store's recent and unfinished incidents into the board; false when it failed. */
  private async loadFromStore(now: number): Promise<boolean> {
    try {
      const started = Date.now();
      const loaded = await loadBoardFromStore(this.store, this.board, now);
      this.logger.log({
        msg: 'console board loaded from the incident store',
        ...loaded,
        ms: Date.now() - started,
      });
      return true;
    } catch (error) {
      this.logger.warn({
        msg: 'incident store unreadable: replaying the incident topics from their beginning',
        error: String(error),
      });
      return false;
    }
  }

  private async startGroupAt(groupId: string, timestamp: number): Promise<void> {
    const topics = boardFeeds(this.board, (topic) => topic.name);
    await commitGroupStartAt(this.kafka, groupId, topics, timestamp);
  }
}
