import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  type ExceptionFilter,
  type ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from './gateway-error';
import { errorBody, type OpenAiErrorBody } from './openai-wire';

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/**
 * `Authorization: Bearer <key>` as the OpenAI SDK sends it; open when no key is configured.
 * Digests are compared in constant time, so timing tells nothing about the key.
 */
export const API_KEY = Symbol('API_KEY');

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(API_KEY) apiKey: string | undefined) {
    this.expected = apiKey === undefined ? undefined : digest(apiKey);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const header = context.switchToHttp().getRequest<IncomingMessage>().headers.authorization;
    const token = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '')?.[1];
    if (token !== undefined && timingSafeEqual(this.expected, digest(token))) return true;
    throw new GatewayError(
      401,
      token === undefined ? 'send Authorization: Bearer <api key>' : 'the API key is not valid',
      'authentication_error',
      null,
      'invalid_api_key',
    );
  }
}

/** Every failure of /v1/* in OpenAI's error shape, which the SDK turns into a typed APIError. */
@Catch()
export class OpenAiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('model-gateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const [status, body] = this.toError(exception);
    if (response.headersSent) return;
    response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }

  private toError(exception: unknown): [number, OpenAiErrorBody] {
    if (exception instanceof GatewayError) return [exception.status, exception.body];
    if (exception instanceof HttpException) {
      // e.g. unparsable JSON or an oversized body, refused by Nest before our code
      const status = exception.getStatus();
      const type = status < 500 ? 'invalid_request_error' : 'server_error';
      return [status, errorBody(exception.message, type)];
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return [500, errorBody('the model failed; see the gateway log', 'server_error')];
  }
}
