import type { IncomingMessage } from 'node:http';
import { BodyRefusal, readJsonRequest, readRequestBody } from '@vigil/http-body';
import { IngestRejection } from './ingest-rejection';

/**
 * A refused body as ingest answers it: 415 unsupported-media-type, 413 payload-too-large (naming
 * the variable that sets the limit, and closing the connection, since the rest of an oversized
 * body is never read) and 400 malformed-json for the rest.
 */
function rejection(error: unknown): unknown {
  if (!(error instanceof BodyRefusal)) return error;
  switch (error.problem) {
    case 'unsupported-media-type':
      return new IngestRejection(415, 'unsupported-media-type', error.message);
    case 'too-large':
      return new IngestRejection(
        413,
        'payload-too-large',
        `${error.message} (INGEST_MAX_BODY_BYTES); send fewer alerts per request`,
        { Connection: 'close' },
      );
    default:
      return new IngestRejection(400, 'malformed-json', error.message);
  }
}

/** The body up to `maxBytes` (see readRequestBody of @vigil/http-body), or an IngestRejection. */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return readRequestBody(request, maxBytes).catch((error: unknown) => {
    throw rejection(error);
  });
}

/** The body as JSON, or an IngestRejection that says what is wrong with it (415, 413 or 400). */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  try {
    return await readJsonRequest(request, maxBytes);
  } catch (error) {
    throw rejection(error);
  }
}
