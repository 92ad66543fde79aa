import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';
import { Topics, type FeedbackAlert, type IncidentFeedback } from '@vigil/contracts';
import type { IncidentView } from '@vigil/incident-view';
import { EventPublisher } from '@vigil/messaging';
import { AccessGuard, Needs, type SignedInRequest } from './access.guard';
import { IncidentFeed } from './incident-feed.service';
import { parseRequest } from './request-parsing';

const incidentId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'an incident id such as inc-6a3c851d');
const note = z.string().max(2000).optional();

const mergeBody = z.object({ incidentIds: z.array(incidentId).min(1).max(20), note }).strict();
const splitBody = z
  .object({ fingerprints: z.array(z.string().min(1).max(200)).min(1).max(1000), note })
  .strict();

/**
 * People's corrections of the grouping: merge other incidents into this one, or split chosen
 * alerts out of it into a new incident. The console only checks and publishes the request on
 * `vigil.incident-feedback.v1` (that event is the audit record: who, role, when, what they saw);
 * the correlator owns incident state, so it applies the change and says so on
 * `vigil.incidents.v1`, and learns from it for later alerts.
 */
@Controller('api/v1/incidents')
@UseGuards(AccessGuard)
export class IncidentFeedbackController {
  constructor(
    @Inject(IncidentFeed) private readonly feed: IncidentFeed,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
  ) {}

  @Post(':id/merge')
  @Needs('regroup')
  @HttpCode(202)
  async merge(@Param('id') id: string, @Body() body: unknown, @Req() request: SignedInRequest) {
    parseRequest(incidentId, id, 'path.id');
    const asked = parseRequest(mergeBody, body, 'body');
    const into = this.live(id);
    const others = [...new Set(asked.incidentIds)];
    if (others.includes(into.incidentId))
      throw new BadRequestException(`body.incidentIds: ${id} cannot be merged into itself`);
    const unknown = others.filter((other) => !this.feed.board.get(other));
    if (unknown.length > 0)
      throw new BadRequestException(`body.incidentIds: no incident ${unknown.join(', ')}`);
    const views = others.map((other) => this.live(other, 'body.incidentIds'));
    const feedback: IncidentFeedback = {
      ...this.common(request, into, asked.note),
      type: 'merge',
      mergedIncidentIds: others,
      alerts: [into, ...views].flatMap(seenAlerts),
    };
    await this.publisher.publish(Topics.incidentFeedback, feedback);
    return { feedback };
  }

  @Post(':id/split')
  @Needs('regroup')
  @HttpCode(202)
  async split(@Param('id') id: string, @Body() body: unknown, @Req() request: SignedInRequest) {
    parseRequest(incidentId, id, 'path.id');
    const asked = parseRequest(splitBody, body, 'body');
    const view = this.live(id);
    const fingerprints = [...new Set(asked.fingerprints)];
    const held = new Set(view.alerts.map((a) => a.fingerprint));
    const strangers = fingerprints.filter((f) => !held.has(f));
    if (strangers.length > 0)
      throw new BadRequestException(`body.fingerprints: not in ${id}: ${strangers.join(', ')}`);
    if (fingerprints.length >= held.size)
      throw new BadRequestException(
        'body.fingerprints: a split leaves at least one alert in the incident',
      );
    const feedback: IncidentFeedback = {
      ...this.common(request, view, asked.note),
      type: 'split',
      fingerprints,
      newIncidentId: `inc-${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      alerts: seenAlerts(view),
    };
    await this.publisher.publish(Topics.incidentFeedback, feedback);
    return { feedback };
  }

  private common(request: SignedInRequest, view: IncidentView, text: string | undefined) {
    return {
      schemaVersion: 1 as const,
      feedbackId: `console-${randomUUID()}`,
      incidentId: view.incidentId,
      by: {
        user: request.session.user,
        role: request.session.role,
        displayName: request.session.displayName,
      },
      via: 'console' as const,
      at: new Date().toISOString(),
      ...(text && { note: text }),
    };
  }

  /** An incident that can still be regrouped: known, and not merged into another already. */
  private live(id: string, where?: string): IncidentView {
    const view = this.feed.board.get(id);
    if (!view) throw new NotFoundException(`no incident ${id}`);
    if (view.mergedInto) {
      const text = `${id} was merged into ${view.mergedInto}: regroup that one`;
      throw new BadRequestException(where ? `${where}: ${text}` : text);
    }
    return view;
  }
}

/** The alerts people saw, with the details the correlator learns from. */
function seenAlerts(view: IncidentView): FeedbackAlert[] {
  return view.alerts.flatMap((a) =>
    a.alert
      ? [
          {
            fingerprint: a.fingerprint,
            alertname: a.alert.alertname,
            service: a.alert.service,
            incidentId: view.incidentId,
          },
        ]
      : [],
  );
}
