import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Topics } from '@vigil/contracts';
import { TopologyRepository } from '@vigil/graph';
import {
  ContractConsumer,
  EventPublisher,
  KAFKA,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import { ObservedCallsService } from './observed-calls.service';
import type { TopologySyncSettings } from './topology-sync.config';

/**
 * Keeps Neo4j in step with `vigil.topology.v1` (replays and duplicates change nothing) and turns
 * `vigil.spans.v1` into CALLS edges (see ObservedCallsService).
 */
@Injectable()
export class TopologySyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly settings: TopologySyncSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(TopologyRepository) private readonly topology: TopologyRepository,
    @Inject(ObservedCallsService) private readonly observedCalls: ObservedCallsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new ContractConsumer(this.kafka, {
      groupId: this.settings.group,
      subscriptions: [
        subscription(Topics.topology, (event) => this.topology.apply(event)),
        subscription(Topics.spans, (span, meta) =>
          this.observedCalls.record(span, {
            partition: meta.partition,
            offset: Number(meta.offset),
          }),
        ),
      ],
      publisher: this.publisher,
      logger: this.logger,
    });
    await this.consumer.start();
  }

  /**
   * The consumer stops before the last observed calls are written, so no span is summed (and its
   * offset committed) after that write.
   */
  async onApplicationShutdown(): Promise<void> {
    try {
      await this.consumer?.stop();
    } finally {
      await this.observedCalls.stop();
    }
  }
}
