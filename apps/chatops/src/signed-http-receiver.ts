import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import {
  type App,
  HTTPModuleFunctions,
  HTTPResponseAck,
  type Logger,
  type Receiver,
} from '@slack/bolt';
import { parseSlackRequestBody, verifySlackSignature } from '@vigil/chatops';

const MAX_BODY_BYTES = 1024 * 1024;

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/** What a request asked for, as its handler would be named: `command /other`, `action x`. */
function askedFor(body: Record<string, unknown>): string {
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 100) : undefined);
  const command = text(body['command']);
  if (command) return `command ${command}`;
  const type = text(body['type']);
  const actions = body['actions'];
  const action = Array.isArray(actions)
    ? text((actions[0] as Record<string, unknown>)?.['action_id'])
    : undefined;
  if (type === 'block_actions' && action) return `action ${action}`;
  const view = body['view'] as Record<string, unknown> | undefined;
  const callbackId = text(body['callback_id']) ?? text(view?.['callback_id']);
  if (type) return callbackId ? `${type} ${callbackId}` : type;
  return 'this request: it is no Slack command, interaction or event';
}

/**
 * Slack's HTTP requests (button clicks, slash commands) handed to bolt from the app's own HTTP
 * server. The signature is checked before the body is even parsed: a request that is unsigned,
 * signed with another secret, altered or older than five minutes gets 401 and reaches no handler.
 *
 * Every signed request is answered as soon as bolt is done with it: by its listener's ack; with a
 * 400 naming what was asked when no listener took it (a slash command or action this app does
 * not have, a form with nothing Slack sends in it); with a 500 when the listener failed before
 * acknowledging. Only a listener still busy after Slack's 3 s is answered by bolt's own timer.
 */
export class SignedHttpReceiver implements Receiver {
  private app?: App;
  /** Bodies whose listener (or middleware) threw: bolt's error handler swallows the error. */
  private readonly failed = new WeakSet<object>();

  constructor(
    private readonly signingSecret: string,
    private readonly logger: LoggerService,
    private readonly boltLogger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  init(app: App): void {
    this.app = app;
    // first of the global middleware, so it sees whatever any listener throws
    app.use(async ({ body, next }) => {
      try {
        await next();
      } catch (error) {
        this.failed.add(body);
        throw error;
      }
    });
  }

  // Nest starts and stops the HTTP server this receiver is reached through.
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }

  async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await this.readBody(request, response);
    if (raw === undefined) return;
    const check = verifySlackSignature(
      this.signingSecret,
      header(request, 'x-slack-request-timestamp'),
      raw,
      header(request, 'x-slack-signature'),
      this.now(),
    );
    if (!check.ok) {
      this.logger.warn({ msg: 'Slack request refused', reason: check.reason }, 'SlackReceiver');
      return reply(response, 401, {
        statusCode: 401,
        message: `not a request from Slack: ${check.reason}`,
      });
    }
    const parsed = parseSlackRequestBody(header(request, 'content-type'), raw);
    switch (parsed.kind) {
      case 'invalid':
        return reply(response, 400, { statusCode: 400, message: parsed.reason });
      case 'ssl-check':
        return reply(response, 200, {});
      case 'url-verification':
        return reply(response, 200, { challenge: parsed.challenge });
      case 'payload':
        return this.process(parsed.body, request, response);
    }
  }

  private async readBody(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<string | undefined> {
    try {
      const buffered = await HTTPModuleFunctions.bufferIncomingMessage(request, MAX_BODY_BYTES);
      return buffered.rawBody.toString('utf8');
    } catch (error) {
      const status = HTTPModuleFunctions.isRawBodyError(error) ? error.statusCode : 400;
      reply(response, status, {
        statusCode: status,
        message: `request body: ${(error as Error).message}`,
      });
      return undefined;
    }
  }

  private async process(
    body: Record<string, unknown>,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    if (!this.app) throw new Error('the Slack receiver was used before bolt initialized it');
    const ack = new HTTPResponseAck({
      logger: this.boltLogger,
      processBeforeResponse: false,
      // a listener took the request but has not acknowledged it within Slack's 3 s
      unhandledRequestHandler: ({ response: late }) => {
        this.logger.warn(
          { msg: 'Slack request not acknowledged in time', asked: askedFor(body) },
          'SlackReceiver',
        );
        if (!late.headersSent)
          reply(late, 500, { statusCode: 500, message: 'no answer within 3 s' });
      },
      httpRequest: request,
      httpRequestBody: body,
      httpResponse: response,
    });
    const answer = ack.bind();
    let acknowledged = false;
    let failed = false;
    try {
      await this.app.processEvent({
        body,
        ack: async (responseBody) => {
          acknowledged = true;
          await answer(responseBody);
        },
        retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(request),
        retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(request),
      });
      failed = this.failed.has(body);
    } catch (error) {
      this.logger.error(
        { msg: 'Slack request failed', error: (error as Error).message },
        'SlackReceiver',
      );
      failed = true;
    }
    if (acknowledged) return;
    // bolt is done and nobody acknowledged: answer now, and stop bolt's timer answering again
    ack.ack();
    if (response.headersSent) return;
    if (failed) return reply(response, 500, { statusCode: 500, message: 'internal error' });
    const asked = askedFor(body);
    this.logger.warn({ msg: 'Slack request has no handler', asked }, 'SlackReceiver');
    reply(response, 400, { statusCode: 400, message: `no handler for ${asked}` });
  }
}
