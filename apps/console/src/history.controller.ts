import {
  Controller,
  Get,
  Inject,
  NotFoundException,
  Optional,
  Param,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { fullTextQuery, IncidentStoreRepository } from '@vigil/graph';
import {
  type IncidentView,
  postmortemOf,
  renderPostmortemMarkdown,
  type SimilarIncident,
} from '@vigil/incident-view';
import { AccessGuard, Needs } from './access.guard';
import { incidentFilterFields } from './incident-query-fields';
import { parseRequest } from './request-parsing';
import { type EmbedTexts, SIMILARITY_EMBEDDER, similarIncidentsOf } from './similar-incidents';

const historyQuery = z
  .object({
    ...incidentFilterFields,
    service: z.string().min(1).max(200).optional(),
    q: z
      .string()
      .max(200, 'must be at most 200 characters')
      .refine((q) => fullTextQuery(q) !== undefined, 'must hold at least one word')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict()
  .refine((q) => q.since === undefined || q.until === undefined || q.since <= q.until, {
    path: ['until'],
    message: 'must not be before since',
  });

const postmortemQuery = z.object({ format: z.enum(['md', 'json']).default('md') }).strict();

/**
 * Incident history from the durable store (Neo4j, written by topology-sync): months of incidents,
 * filtered and searched, and postmortems. The live board under /api/v1/incidents is unchanged.
 */
@Controller('api/v1/history/incidents')
@UseGuards(AccessGuard)
export class HistoryController {
  constructor(
    @Inject(IncidentStoreRepository) private readonly store: IncidentStoreRepository,
    @Optional() @Inject(SIMILARITY_EMBEDDER) private readonly embed?: EmbedTexts,
  ) {}

  @Get()
  @Needs('view')
  list(@Query() query: unknown) {
    return this.store.list(parseRequest(historyQuery, query, 'query'));
  }

  @Get(':id')
  @Needs('view')
  async get(@Param('id') id: string): Promise<IncidentView> {
    return (await this.stored(id)).view;
  }

  @Get(':id/postmortem')
  @Needs('view')
  async postmortem(
    @Param('id') id: string,
    @Query() query: unknown,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { format } = parseRequest(postmortemQuery, query, 'query');
    const { view, resolvedAt } = await this.stored(id);
    const postmortem = postmortemOf(view, resolvedAt);
    if (format === 'json') return postmortem;
    response.type('text/markdown; charset=utf-8');
    return renderPostmortemMarkdown(postmortem);
  }

  /**
   * Past incidents like this one: the same root cause, alerts alike in meaning (MiniLM; in words
   * without the model), near in the topology.
   */
  @Get(':id/similar')
  @Needs('view')
  async similar(@Param('id') id: string): Promise<{ similar: SimilarIncident[] }> {
    const similar = await similarIncidentsOf(this.store, this.embed, id);
    if (!similar) throw new NotFoundException(`no incident ${id} in the store`);
    return { similar };
  }

  private async stored(id: string): Promise<{ view: IncidentView; resolvedAt?: string }> {
    const stored = await this.store.get(id);
    if (!stored) throw new NotFoundException(`no incident ${id} in the store`);
    return { view: JSON.parse(stored.view) as IncidentView, resolvedAt: stored.resolvedAt };
  }
}
