import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HOUR_MS } from '@vigil/config';
import { IncidentStoreRepository } from '@vigil/graph';
import { historyFeeds, IncidentFoldCache } from '@vigil/incident-view';
import {
  type ContractConsumer,
  ServiceConsumers,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import type { TopologySyncSettings } from './topology-sync.config';

export type IncidentHistorySettings = Pick<TopologySyncSettings, 'history'>;

/**
 * Writes the durable incident store: every incident, rca, plan, decision, execution and
 * incident-action event into Neo4j under its own consumer group, so the store keeps what the
 * topics' retention drops. Each write is idempotent; an hourly sweep deletes resolved incidents
 * older than the retention.
 */
@Injectable()
export class IncidentHistoryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;
  private timer?: NodeJS.Timeout;
  /** The open incidents' folds: a storm's incident has thousands of events to re-read otherwise. */
  private readonly folds = new IncidentFoldCache();

  constructor(
    @Inject(ServiceConsumers) private readonly consumers: ServiceConsumers,
    @Inject(IncidentStoreRepository) private readonly store: IncidentStoreRepository,
    @Inject(VIGIL_SETTINGS) private readonly settings: IncidentHistorySettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.consumers.start(
      historyFeeds((topic, toRecord) =>
        subscription(topic, async (event) => {
          await this.store.record(toRecord(event), this.folds);
        }),
      ),
      { groupId: this.settings.history.group, fromBeginning: true },
    );
    this.timer = setInterval(() => void this.sweep(), HOUR_MS);
    this.timer.unref();
    void this.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.consumer?.stop();
  }

  private async sweep(): Promise<void> {
    try {
      const deleted = await this.store.deleteResolvedBefore(
        Date.now() - this.settings.history.retentionMs,
      );
      if (deleted > 0) this.logger.log({ msg: 'incident store: old incidents deleted', deleted });
    } catch (error) {
      // the next sweep tries again; the store only keeps a little longer meanwhile
      this.logger.warn({ msg: 'incident store: retention sweep failed', error: String(error) });
    }
  }
}
