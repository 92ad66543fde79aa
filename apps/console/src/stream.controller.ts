import { Controller, Get, HttpException, Inject, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { StreamSlots } from '@vigil/access';
import { AccessGuard, Needs, type SignedInRequest } from './access.guard';
import { ConsoleAuth } from './console-auth.service';
import { IncidentFeed } from './incident-feed.service';

const KEEP_ALIVE_MS = 15_000;
// a few tabs per person; more is a leak or an attack holding sockets open
export const MAX_STREAMS_PER_SESSION = 5;

/** Server-sent events: every change to an incident, as its new list row. */
@Controller('api/v1/stream')
@UseGuards(AccessGuard)
export class StreamController {
  private readonly slots = new StreamSlots(MAX_STREAMS_PER_SESSION);

  constructor(
    @Inject(IncidentFeed) private readonly feed: IncidentFeed,
    @Inject(ConsoleAuth) private readonly auth: ConsoleAuth,
  ) {}

  @Get()
  @Needs('view')
  stream(@Req() request: SignedInRequest, @Res() response: Response): void {
    const sessionId = request.session.id;
    if (!this.slots.acquire(sessionId))
      throw new HttpException(
        `at most ${MAX_STREAMS_PER_SESSION} live streams per session; close another tab`,
        429,
      );
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // proxies such as nginx would otherwise hold the events back
      'x-accel-buffering': 'no',
    });
    // the session is checked on every write: sign-out or expiry ends the stream too
    const send = (text: string) => {
      if (this.auth.sessions.get(sessionId)) response.write(text);
      else response.end();
    };
    send('event: ready\ndata: {}\n\n');
    const subscription = this.feed.changes.subscribe((item) => {
      send(`event: incident\ndata: ${JSON.stringify(item)}\n\n`);
    });
    const keepAlive = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
    let closed = false;
    // once, whichever comes first: the browser leaving or the stream ended at sign-out
    const close = () => {
      if (closed) return;
      closed = true;
      this.slots.release(sessionId);
      clearInterval(keepAlive);
      subscription.unsubscribe();
    };
    request.on('close', close);
    response.on('close', close);
  }
}
