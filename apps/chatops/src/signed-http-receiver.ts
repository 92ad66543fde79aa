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

/**
 * Slack's HTTP requests (button clicks, slash commands) handed to bolt from the app's own HTTP
 * server. The signature is checked before the body is even parsed: a request that is unsigned,
 * signed with another secret, altered or older than five minutes gets 401 and reaches no handler.
 */
export class SignedHttpReceiver implements Receiver {
  private app?: App;

  constructor(
    private readonly signingSecret: string,
    private readonly logger: LoggerService,
    private readonly boltLogger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  init(app: App): void {
    this.app = app;
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
      httpRequest: request,
      httpRequestBody: body,
      httpResponse: response,
    });
    try {
      await this.app.processEvent({
        body,
        ack: ack.bind(),
        retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(request),
        retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(request),
      });
    } catch (error) {
      this.logger.error(
        { msg: 'Slack request failed', error: (error as Error).message },
        'SlackReceiver',
      );
      if (!response.headersSent)
        reply(response, 500, { statusCode: 500, message: 'internal error' });
    }
  }
}
