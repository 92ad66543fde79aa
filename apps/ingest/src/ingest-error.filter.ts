import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { requestsRejected } from './ingest-metrics';
import { IngestRejection } from './ingest-rejection';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  issues?: ReadonlyArray<{ path: string; message: string }>;
}

/** Every refusal of the alert routes as JSON that says what is wrong, counted by reason. */
@Catch()
export class IngestErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(IngestErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const rejection = this.toRejection(exception);
    requestsRejected.inc({ reason: rejection.reason });
    const body: ErrorBody = {
      statusCode: rejection.status,
      error: rejection.reason,
      message: rejection.message,
      ...(rejection.issues.length > 0 ? { issues: rejection.issues } : {}),
    };
    if (response.headersSent) return;
    response.writeHead(rejection.status, {
      ...rejection.headers,
      'Content-Type': 'application/json; charset=utf-8',
    });
    response.end(JSON.stringify(body));
  }

  private toRejection(exception: unknown): IngestRejection {
    if (exception instanceof IngestRejection) return exception;
    if (exception instanceof HttpException)
      return new IngestRejection(exception.getStatus(), 'internal-error', exception.message);
    this.logger.error(exception instanceof Error ? exception : String(exception));
    return new IngestRejection(500, 'internal-error', 'unexpected error; nothing was accepted');
  }
}
