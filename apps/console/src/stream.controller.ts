import { Controller, Get, Inject, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AccessGuard, Needs } from './access.guard';
import { IncidentFeed } from './incident-feed.service';

const KEEP_ALIVE_MS = 15_000;

/** Server-sent events: every change to an incident, as its new list row. */
@Controller('api/v1/stream')
@UseGuards(AccessGuard)
export class StreamController {
  constructor(@Inject(IncidentFeed) private readonly feed: IncidentFeed) {}

  @Get()
  @Needs('view')
  stream(@Req() request: Request, @Res() response: Response): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // proxies such as nginx would otherwise hold the events back
      'x-accel-buffering': 'no',
    });
    response.write('event: ready\ndata: {}\n\n');
    const subscription = this.feed.changes.subscribe((item) => {
      response.write(`event: incident\ndata: ${JSON.stringify(item)}\n\n`);
    });
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    request.on('close', () => {
      clearInterval(keepAlive);
      subscription.unsubscribe();
    });
  }
}
