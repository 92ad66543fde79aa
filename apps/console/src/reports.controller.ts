import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { IncidentStoreRepository } from '@vigil/graph';
import {
  incidentReport,
  type IncidentReport,
  reportTime,
  storedReportFacts,
} from '@vigil/incident-view';
import { AccessGuard, Needs } from './access.guard';
import { commaList } from './incident-query-fields';
import { parseRequest } from './request-parsing';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest period a report reads at once. */
const MAX_PERIOD_MS = 366 * DAY_MS;

const when = z.string().transform((text, ctx) => {
  const at = reportTime(text, Date.now());
  if (at === undefined)
    ctx.addIssue({
      code: 'custom',
      message: 'must be an ISO time (2026-11-27T10:00:00Z) or a while ago (90s, 15m, 2h, 7d)',
    });
  return at ?? 0;
});

const reportQuery = z
  .object({
    since: when.optional(),
    until: when.optional(),
    /** One service, or a team as the services it owns (comma list). */
    service: commaList(z.string().min(1).max(200)),
  })
  .strict()
  .transform((q) => {
    const until = q.until ?? Date.now();
    return { since: q.since ?? until - 7 * DAY_MS, until, services: q.service ?? [] };
  })
  .refine((q) => q.since <= q.until, { path: ['until'], message: 'must not be before since' })
  .refine((q) => q.until - q.since <= MAX_PERIOD_MS, {
    path: ['since'],
    message: 'must be at most 366 days before until',
  });

/**
 * Reports over the incident store: incidents, alerts per incident and noise reduction, MTTA,
 * MTTR, auto-heal rate, plans by provenance, the noisiest services and alerts, over a period and
 * some services. `vigil report` prints the same figures (the same function over the same store).
 */
@Controller('api/v1/reports')
@UseGuards(AccessGuard)
export class ReportsController {
  constructor(@Inject(IncidentStoreRepository) private readonly store: IncidentStoreRepository) {}

  @Get()
  @Needs('view')
  async report(@Query() query: unknown): Promise<IncidentReport> {
    const scope = parseRequest(reportQuery, query, 'query');
    const stored = await this.store.reportIncidents(scope);
    return incidentReport(stored.map(storedReportFacts), scope);
  }
}
