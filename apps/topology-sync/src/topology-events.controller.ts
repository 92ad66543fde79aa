import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type CallSpan, type TopologyEvent } from '@vigil/contracts';
import { TopologyRepository } from '@vigil/graph';
import type { MessageMeta } from '@vigil/messaging';
import { ObservedCallsService } from './observed-calls.service';

/** Keeps Neo4j in step with `vigil.topology.v1`; replays and duplicates change nothing. */
@Controller()
export class TopologyEventsController {
  constructor(
    @Inject(TopologyRepository) private readonly topology: TopologyRepository,
    @Inject(ObservedCallsService) private readonly observedCalls: ObservedCallsService,
  ) {}

  @EventPattern(Topics.topology.name)
  async onTopologyEvent(@Payload() event: TopologyEvent): Promise<void> {
    await this.topology.apply(event);
  }

  /** Observed calls become CALLS edges (see ObservedCallsService). */
  @EventPattern(Topics.spans.name)
  async onSpan(@Payload() span: CallSpan, @Ctx() meta: MessageMeta): Promise<void> {
    await this.observedCalls.record(span, {
      partition: meta.partition,
      offset: Number(meta.offset),
    });
  }
}
