import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';
import {
  importAlertmanagerSilences,
  maintenanceFromRequest,
  MatcherError,
  PolicyError,
  silenceFromRequest,
  silenceState,
  windowState,
} from '@vigil/alert-policy';
import type { AlertPolicyEvent } from '@vigil/contracts';
import { AccessGuard, Needs, type SignedInRequest } from './access.guard';
import { AlertPolicyFeed } from './alert-policy-feed.service';
import { parseRequest } from './request-parsing';

const matcherText = z.union(
  [z.string().min(1).max(4000), z.array(z.string().min(1).max(1000)).max(50)],
  {
    error: 'a matcher list such as {service="db"}, or a list of matchers',
  },
);

const silenceBody = z
  .object({
    matchers: matcherText,
    startsAt: z.string().max(100).optional(),
    endsAt: z.string().max(100).optional(),
    duration: z.string().max(50).optional(),
    comment: z.string().max(2000).default(''),
  })
  .strict();

const maintenanceBody = z
  .object({
    matchers: matcherText,
    mode: z.enum(['suppress', 'open-no-remediate']).default('suppress'),
    comment: z.string().max(2000).default(''),
    schedule: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('once'),
          startsAt: z.string().max(100).optional(),
          endsAt: z.string().max(100).optional(),
          duration: z.string().max(50).optional(),
        })
        .strict(),
      z
        .object({
          kind: z.literal('weekly'),
          days: z.array(z.string().max(20)).min(1).max(7),
          start: z.string().max(10),
          duration: z.string().max(50),
          timeZone: z.string().max(100),
          from: z.string().max(100).optional(),
          until: z.string().max(100).optional(),
        })
        .strict(),
    ]),
  })
  .strict();

type Change = Pick<AlertPolicyEvent, 'type'> & Record<string, unknown>;

/** A matcher, regex or time that cannot be used is the client's mistake: 400, naming it. */
function checked<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof MatcherError || error instanceof PolicyError)
      throw new BadRequestException(error.message);
    throw error;
  }
}

function policyEvent(request: SignedInRequest, change: Change): AlertPolicyEvent {
  return {
    schemaVersion: 1,
    eventId: `console-${randomUUID()}`,
    at: new Date().toISOString(),
    by: { user: request.session.user, displayName: request.session.displayName },
    via: 'console',
    ...change,
  } as AlertPolicyEvent;
}

/** Silences: anyone may look; a responder may create and expire them. */
@Controller('api/v1/silences')
@UseGuards(AccessGuard)
export class SilencesController {
  constructor(@Inject(AlertPolicyFeed) private readonly feed: AlertPolicyFeed) {}

  @Get()
  @Needs('view')
  list() {
    const now = Date.now();
    const silences = [...this.feed.state.silences.values()]
      .map((s) => ({ ...s, state: silenceState(s, now) }))
      .sort((a, b) => b.startsAt.localeCompare(a.startsAt));
    return { silences };
  }

  @Post()
  @Needs('silence')
  @HttpCode(202)
  async create(@Body() body: unknown, @Req() request: SignedInRequest) {
    const asked = parseRequest(silenceBody, body, 'body');
    const silence = checked(() =>
      silenceFromRequest(
        { ...asked, id: `sil-${randomUUID()}`, createdBy: request.session.user },
        Date.now(),
      ),
    );
    const event = policyEvent(request, { type: 'silence.created', silence });
    await this.feed.publish(event);
    return { silence, event };
  }

  /** Alertmanager's `GET /api/v2/silences` body: the live ones become Vigil silences. */
  @Post('import')
  @Needs('silence')
  @HttpCode(202)
  async import(@Body() body: unknown, @Req() request: SignedInRequest) {
    const result = checked(() => importAlertmanagerSilences(body, Date.now()));
    for (const silence of result.silences) {
      const known = this.feed.state.silences.has(silence.id);
      const type = known ? 'silence.updated' : 'silence.created';
      await this.feed.publish({ ...policyEvent(request, { type, silence }), via: 'import' });
    }
    return { imported: result.silences.map((s) => s.id), skipped: result.skipped };
  }

  @Delete(':id')
  @Needs('silence')
  @HttpCode(202)
  async expire(@Param('id') id: string, @Req() request: SignedInRequest) {
    const silence = this.feed.state.silences.get(id);
    if (!silence) throw new NotFoundException(`no silence ${id}`);
    if (silenceState(silence, Date.now()) === 'expired')
      throw new ConflictException(`silence ${id} has already ended`);
    const event = policyEvent(request, { type: 'silence.expired', silenceId: id });
    await this.feed.publish(event);
    return { event };
  }
}

/** Maintenance windows: anyone may look; a responder may create and expire them. */
@Controller('api/v1/maintenance')
@UseGuards(AccessGuard)
export class MaintenanceController {
  constructor(@Inject(AlertPolicyFeed) private readonly feed: AlertPolicyFeed) {}

  @Get()
  @Needs('view')
  list() {
    const now = Date.now();
    const windows = [...this.feed.state.windows.values()].map((entry) => ({
      ...entry.window,
      state: windowState(entry, now),
      ...(entry.expiredAt !== undefined && { expiredAt: new Date(entry.expiredAt).toISOString() }),
    }));
    return { windows };
  }

  @Post()
  @Needs('silence')
  @HttpCode(202)
  async create(@Body() body: unknown, @Req() request: SignedInRequest) {
    const asked = parseRequest(maintenanceBody, body, 'body');
    const window = checked(() =>
      maintenanceFromRequest(
        { ...asked, id: `mw-${randomUUID()}`, createdBy: request.session.user },
        Date.now(),
      ),
    );
    const event = policyEvent(request, { type: 'maintenance.created', window });
    await this.feed.publish(event);
    return { window, event };
  }

  @Delete(':id')
  @Needs('silence')
  @HttpCode(202)
  async expire(@Param('id') id: string, @Req() request: SignedInRequest) {
    const entry = this.feed.state.windows.get(id);
    if (!entry) throw new NotFoundException(`no maintenance window ${id}`);
    if (windowState(entry, Date.now()) === 'expired')
      throw new ConflictException(`maintenance window ${id} is already over`);
    const event = policyEvent(request, { type: 'maintenance.expired', windowId: id });
    await this.feed.publish(event);
    return { event };
  }
}
