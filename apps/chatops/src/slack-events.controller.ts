import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { SignedHttpReceiver } from './signed-http-receiver';

/** The Request URL of the Slack app, for Interactivity and for the /vigil slash command. */
@Controller('slack')
export class SlackEventsController {
  constructor(@Inject(SignedHttpReceiver) private readonly receiver: SignedHttpReceiver) {}

  @Post('events')
  events(@Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    return this.receiver.dispatch(request, response);
  }
}
