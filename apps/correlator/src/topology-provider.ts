import type { LoggerService } from '@nestjs/common';
import { ServiceGraph } from '@vigil/correlation';
import type { TopologyRepository } from '@vigil/graph';

/** The service graph the correlator decides with, reloaded from Neo4j as topology-sync updates it. */
export class TopologyProvider {
  private graph = ServiceGraph.empty();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: TopologyRepository,
    private readonly maxHops: number,
    private readonly logger: LoggerService,
    /** Calls seen in spans count this long after the last one. */
    private readonly observedEdgeMaxAgeMs = 24 * 60 * 60_000,
  ) {}

  get current(): ServiceGraph {
    return this.graph;
  }

  async start(refreshMs: number): Promise<void> {
    await this.reload();
    this.timer = setInterval(
      () => void this.reload().catch((e: unknown) => this.logger.warn(e, 'TopologyProvider')),
      refreshMs,
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async reload(): Promise<void> {
    const { entities, edges } = await this.repository.wholeTopology(
      Date.now() - this.observedEdgeMaxAgeMs,
    );
    this.graph = new ServiceGraph({ services: entities.map((e) => e.id), edges }, this.maxHops);
    this.logger.debug?.(
      { msg: 'topology loaded', entities: entities.length, edges: edges.length },
      'TopologyProvider',
    );
  }
}
