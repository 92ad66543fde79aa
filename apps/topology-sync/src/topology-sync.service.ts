import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Topics } from '@vigil/contracts';
import { TopologyRepository } from '@vigil/graph';
import { type ContractConsumer, ServiceConsumers, subscription } from '@vigil/messaging';
import { ObservedCallsService } from './observed-calls.service';

/**
 * Keeps Neo4j in step with `vigil.topology.v1` (replays and duplicates change nothing) and turns
 * `vigil.spans.v1` into CALLS edges (see ObservedCallsService).
 */
@Injectable()
export class TopologySyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;

  constructor(
    @Inject(ServiceConsumers) private readonly consumers: ServiceConsumers,
    @Inject(TopologyRepository) private readonly topology: TopologyRepository,
    @Inject(ObservedCallsService) private readonly observedCalls: ObservedCallsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.consumers.start([
      subscription(Topics.topology, (event) => this.topology.apply(event)),
      subscription(Topics.spans, (span, meta) =>
        this.observedCalls.record(span, { partition: meta.partition, offset: Number(meta.offset) }),
      ),
    ]);
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
