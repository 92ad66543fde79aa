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
import { EventPublisher, VIGIL_SETTINGS } from '@vigil/messaging';
import { signDecision } from '@vigil/remediation-engine';
import { AccessGuard, Needs, type SignedInRequest } from './access.guard';
import type { ConsoleSettings } from './console.config';
import { decisionSigner } from './decision-signer';
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
    @Inject(VIGIL_SETTINGS) private readonly settings: ConsoleSettings,
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
    const { user, role, displayName } = request.session;
    if (!may(role, decision)) throw new ForbiddenException(refusal(displayName, role, decision));
    const plan = this.feed.board.plan(planId);
    if (!plan) throw new NotFoundException(`no plan ${planId}`);
    const refused = decisionRefusal(plan, planId, decision, {
      incident: this.feed.board.get(plan.plan.incidentId),
      now: Date.now(),
      planTtlMs: this.settings.planTtlMs,
    });
    if (refused) throw new ConflictException(refused);
    const unsigned: RemediationDecision = {
      schemaVersion: 1,
      decisionId: `console-${randomUUID()}`,
      planId,
      decision,
      // the stable key is who acted; the name is for people reading the audit
      by: { user, role, displayName },
      via: 'console',
      at: new Date().toISOString(),
      ...(reason && { reason }),
    };
    // bound to the plan as this person saw it: the executor refuses it for any other content
    const event = signDecision(unsigned, plan.plan, decisionSigner(this.settings.decisionKey));
    await this.publisher.publish(Topics.remediationDecisions, event);
    return { decision: event };
  }
}
