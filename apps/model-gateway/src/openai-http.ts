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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerTokenOf, BearerTokenVerifier } from '@vigil/access';
import { GatewayError } from './gateway-error';
import { errorBody, type OpenAiErrorBody } from './openai-wire';

/**
 * `Authorization: Bearer <key>` as the OpenAI SDK sends it; open when no key is configured.
 * Checked as every bearer token is (`BearerTokenVerifier`, @vigil/access).
 */
export const API_KEY = Symbol('API_KEY');

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly verifier: BearerTokenVerifier;

  constructor(@Inject(API_KEY) apiKey: string | undefined) {
    this.verifier = new BearerTokenVerifier(apiKey === undefined ? [] : [apiKey]);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.verifier.open) return true;
    const header = context.switchToHttp().getRequest<IncomingMessage>().headers.authorization;
    const token = bearerTokenOf(header);
    if (token !== undefined && this.verifier.verify(token)) return true;
    throw new GatewayError(
      401,
      token === undefined ? 'send Authorization: Bearer <api key>' : 'the API key is not valid',
      'authentication_error',
      null,
      'invalid_api_key',
    );
  }
}

/**
 * Every error answer of the gateway in OpenAI's shape, which the SDK turns into a typed APIError:
 * registered app-wide (APP_FILTER), so it also answers what fails before a route runs (an unknown
 * path, the API key guard) and Nest's own errors, not only those of the controller.
 */
@Catch()
export class OpenAiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('model-gateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<ServerResponse>();
    const request = http.getRequest<IncomingMessage>();
    const [status, body] = this.toError(exception);
    if (response.headersSent) return;
    response.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      // a body left unread (too large, or refused before reading) is not read to its end
      ...(request.complete ? {} : { Connection: 'close' }),
    });
    response.end(JSON.stringify(body));
  }

  private toError(exception: unknown): [number, OpenAiErrorBody] {
    if (exception instanceof GatewayError) return [exception.status, exception.body];
    if (exception instanceof HttpException) {
      // Nest's own: an unknown route (404), a malformed URL (400)
      const status = exception.getStatus();
      const type = status < 500 ? 'invalid_request_error' : 'server_error';
      return [status, errorBody(exception.message, type)];
    }
    const clientError = exposedClientError(exception);
    if (clientError) return clientError;
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return [500, errorBody('the model failed; see the gateway log', 'server_error')];
  }
}

/**
 * An http-errors 4xx (what Express middleware such as a body parser throws: `status` and
 * `expose: true`, a message meant for the client), else undefined.
 */
function exposedClientError(exception: unknown): [number, OpenAiErrorBody] | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { status, expose } = exception as Error & { status?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true)
    return undefined;
  return [status, errorBody(exception.message, 'invalid_request_error')];
}
