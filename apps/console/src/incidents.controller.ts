import { randomUUID } from 'node:crypto';
import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';
import { Topics, type IncidentAction } from '@vigil/contracts';
import { TopologyRepository } from '@vigil/graph';
import { incidentActionRefusal, type IncidentView } from '@vigil/incident-view';
import { EventPublisher } from '@vigil/messaging';
import { AccessGuard, Needs, type SignedInRequest } from './access.guard';
import { IncidentFeed } from './incident-feed.service';
import { incidentFilterFields } from './incident-query-fields';
import { parseRequest } from './request-parsing';

/** The live board's filters; anything else (a misspelt key, `limit`) is refused, not ignored. */
const listQuery = z
  .object({
    ...incidentFilterFields,
    service: z.string().max(200).optional(),
    q: z.string().max(200).optional(),
  })
  .strict();

const actionBody = z.object({ note: z.string().max(2000).optional() }).strict();

@Controller('api/v1/incidents')
@UseGuards(AccessGuard)
export class IncidentsController {
  constructor(
    @Inject(IncidentFeed) private readonly feed: IncidentFeed,
    @Inject(TopologyRepository) private readonly topology: TopologyRepository,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
  ) {}

  @Get()
  @Needs('view')
  list(@Query() query: unknown) {
    const filter = parseRequest(listQuery, query, 'query');
    return { incidents: this.feed.board.list(filter) };
  }

  @Get(':id')
  @Needs('view')
  get(@Param('id') id: string): IncidentView {
    return this.view(id);
  }

  /** The graph around the incident's services and its leading root cause, with the path. */
  @Get(':id/topology')
  @Needs('view')
  async topologyOf(@Param('id') id: string) {
    const view = this.view(id);
    const lead = view.rca?.candidates[0];
    const ids = [...new Set([...view.services, ...(lead ? lead.path : [])])];
    const subgraph = await this.topology.neighbourhood(ids, 1);
    return {
      nodes: subgraph.nodes.map((n) => ({ id: n.id, kind: n.kind ?? 'unknown' })),
      edges: subgraph.edges.map((e) => ({ from: e.from, to: e.to, type: e.type })),
      services: view.services,
      ...(lead && { rootCause: lead.service }),
      path: lead?.path ?? [],
    };
  }

  @Post(':id/acknowledge')
  @Needs('acknowledge')
  @HttpCode(202)
  acknowledge(@Param('id') id: string, @Body() body: unknown, @Req() request: SignedInRequest) {
    return this.act(id, 'acknowledge', body, request);
  }

  @Post(':id/resolve')
  @Needs('resolve')
  @HttpCode(202)
  resolve(@Param('id') id: string, @Body() body: unknown, @Req() request: SignedInRequest) {
    return this.act(id, 'resolve', body, request);
  }

  private async act(
    id: string,
    action: IncidentAction['action'],
    body: unknown,
    request: SignedInRequest,
  ) {
    const { note } = parseRequest(actionBody, body, 'body');
    const refused = incidentActionRefusal(this.view(id), id, action);
    if (refused) throw new ConflictException(refused);
    const event: IncidentAction = {
      schemaVersion: 1,
      actionId: `console-${randomUUID()}`,
      incidentId: id,
      action,
      by: {
        user: request.session.user,
        role: request.session.role,
        displayName: request.session.displayName,
      },
      via: 'console',
      at: new Date().toISOString(),
      ...(note && { note }),
    };
    await this.publisher.publish(Topics.incidentActions, event);
    return { action: event };
  }

  private view(id: string): IncidentView {
    const view = this.feed.board.get(id);
    if (!view) throw new NotFoundException(`no incident ${id}`);
    return view;
  }
}
