import { BadRequestException } from '@nestjs/common';
import type { Request } from 'express';
import type { z } from 'zod';

/**
 * A request part checked against its schema; a 400 naming each wrong field otherwise. A body
 * that was not sent at all is read as `{}` (AccessGuard has already refused, with a 415, a body
 * sent as anything but JSON: Express parses only JSON, so it would otherwise arrive as none).
 */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw new BadRequestException(
    parsed.error.issues
      .map((i) => `${where}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`)
      .join('; '),
  );
}

/**
 * Why the body of a change (POST, DELETE) cannot be read, or undefined when it can: a body is
 * JSON, declared `content-type: application/json`. A text/plain or form body would reach the
 * route as no body, its fields dropped unseen. Sending no body at all, and no content type, is
 * fine: the route reads `{}`, so an optional note is simply absent and a required field is named
 * in a 400.
 */
export function jsonBodyRefusal(request: Request): string | undefined {
  const contentType = request.headers['content-type'];
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return undefined;
  if (contentType === undefined && !sentBody(request)) return undefined;
  return `the body must be JSON: send content-type: application/json (${
    contentType === undefined ? 'no content type was sent' : `not ${contentType.slice(0, 100)}`
  })`;
}

function sentBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && Number(length) !== 0)
  );
}
