import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type TopologyEvent } from '@vigil/contracts';
import { TopologyRepository } from '@vigil/graph';

/** Keeps Neo4j in step with `vigil.topology.v1`; replays and duplicates change nothing. */
@Controller()
export class TopologyEventsController {
  constructor(@Inject(TopologyRepository) private readonly topology: TopologyRepository) {}

  @EventPattern(Topics.topology.name)
  async onTopologyEvent(@Payload() event: TopologyEvent): Promise<void> {
    await this.topology.apply(event);
  }
}
