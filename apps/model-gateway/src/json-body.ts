import type { IncomingMessage } from 'node:http';
import { BodyRefusal, readJsonRequest, type BodyProblem } from '@vigil/http-body';
import { GatewayError } from './gateway-error';

/**
 * Largest request body: 100 KiB, as Nest's body parser allowed before the gateway read bodies
 * itself (a full 2048-token prompt is a few KiB).
 */
export const MAX_BODY_BYTES = 100 * 1024;

/** The OpenAI error `code` of each refused body. */
const codes: Record<BodyProblem, string> = {
  'unsupported-media-type': 'unsupported_media_type',
  'too-large': 'request_too_large',
  unreadable: 'invalid_body',
  empty: 'invalid_json',
  'not-utf8': 'invalid_json',
  'not-json': 'invalid_json',
};

/**
 * The request body as JSON, or a GatewayError in OpenAI's shape that says what is wrong with it:
 * 415 for another media type, 413 for a body over `maxBytes`, 400 for a body that breaks off, is
 * empty, is not UTF-8 or is not JSON.
 */
export async function readJsonBody(
  request: IncomingMessage,
  maxBytes = MAX_BODY_BYTES,
): Promise<unknown> {
  if (request.readableEnded) {
    // something read the stream before the route: Nest's body parser, if it was left on
    throw new Error('the request body was already read; start the gateway with bodyParser: false');
  }
  try {
    return await readJsonRequest(request, maxBytes);
  } catch (error) {
    if (!(error instanceof BodyRefusal)) throw error;
    throw new GatewayError(
      error.status,
      error.message,
      'invalid_request_error',
      null,
      codes[error.problem],
    );
  }
}
