import { randomUUID } from 'node:crypto';
import {
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';
import { may, refusal } from '@vigil/access';
import { Topics, type RemediationDecision } from '@vigil/contracts';
import { decisionRefusal } from '@vigil/incident-view';
import { EventPublisher } from '@vigil/messaging';
import { AccessGuard, Needs, type SignedInRequest } from './access.guard';
import { IncidentFeed } from './incident-feed.service';
import { parseRequest } from './request-parsing';

const decisionBody = z
  .object({
    decision: z.enum(['approve', 'reject'], { error: 'must be approve or reject' }),
    reason: z.string().max(2000).optional(),
  })
  .strict();

@Controller('api/v1/plans')
@UseGuards(AccessGuard)
export class PlansController {
  constructor(
    @Inject(IncidentFeed) private readonly feed: IncidentFeed,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
  ) {}

  /** Rejecting needs a responder, approving an approver (the executor checks again per step). */
  @Post(':planId/decisions')
  @Needs('reject')
  @HttpCode(202)
  async decide(
    @Param('planId') planId: string,
    @Body() body: unknown,
    @Req() request: SignedInRequest,
  ) {
    const { decision, reason } = parseRequest(decisionBody, body, 'body');
    const { user, role } = request.session;
    if (!may(role, decision)) throw new ForbiddenException(refusal(user, role, decision));
    const plan = this.feed.board.plan(planId);
    if (!plan) throw new NotFoundException(`no plan ${planId}`);
    const refused = decisionRefusal(plan, planId, decision);
    if (refused) throw new ConflictException(refused);
    const event: RemediationDecision = {
      schemaVersion: 1,
      decisionId: `console-${randomUUID()}`,
      planId,
      decision,
      by: { user, role },
      via: 'console',
      at: new Date().toISOString(),
      ...(reason && { reason }),
    };
    await this.publisher.publish(Topics.remediationDecisions, event);
    return { decision: event };
  }
}
