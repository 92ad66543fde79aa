import type { IncomingMessage } from 'node:http';
import { GatewayError } from './gateway-error';

/**
 * Largest request body: 100 KiB, as Nest's body parser allowed before the gateway read bodies
 * itself (a full 2048-token prompt is a few KiB).
 */
export const MAX_BODY_BYTES = 100 * 1024;

const refuse = (status: number, message: string, code: string) =>
  new GatewayError(status, message, 'invalid_request_error', null, code);

/** application/json (or a +json type) in UTF-8, uncompressed: what the OpenAI SDK sends. */
function checkMediaType(request: IncomingMessage): void {
  const [type = '', ...parameters] = (request.headers['content-type'] ?? '').split(';');
  const mediaType = type.trim().toLowerCase();
  if (mediaType !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType))
    throw refuse(
      415,
      `send Content-Type: application/json, got ${mediaType ? `"${mediaType}"` : 'none'}`,
      'unsupported_media_type',
    );
  const charset = parameters
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8')
    throw refuse(415, `send the JSON in UTF-8, got charset ${charset}`, 'unsupported_media_type');
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    throw refuse(
      415,
      `Content-Encoding ${encoding} is not supported; send the JSON uncompressed`,
      'unsupported_media_type',
    );
}

const tooLarge = (maxBytes: number) =>
  refuse(413, `request body is larger than ${maxBytes} bytes`, 'request_too_large');

/**
 * The body up to `maxBytes`: a declared Content-Length over it is refused before a byte is read,
 * a longer stream as soon as it passes it, so an oversized body never sits in memory.
 */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  if (request.readableEnded) {
    // something read the stream before the route: Nest's body parser, if it was left on
    return Promise.reject(
      new Error('the request body was already read; start the gateway with bodyParser: false'),
    );
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off('data', onData);
        request.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const cutShort = (why: string) =>
      reject(refuse(400, `request body could not be read: ${why}`, 'invalid_body'));
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks, size)));
    request.once('error', (error) => cutShort(error.message));
    // a client that goes away mid-body ends the stream with neither 'end' nor always 'error'
    request.once('close', () => {
      if (!request.complete) cutShort('the client closed the connection');
    });
  });
}

/** Bytes that are not UTF-8 are refused, not turned into U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The request body as JSON, or a GatewayError that says what is wrong with it: 415 for another
 * media type, 413 for a body over `maxBytes`, 400 for an empty body or invalid JSON.
 */
export async function readJsonBody(
  request: IncomingMessage,
  maxBytes = MAX_BODY_BYTES,
): Promise<unknown> {
  checkMediaType(request);
  const body = await readBody(request, maxBytes);
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw refuse(400, 'request body is not valid UTF-8', 'invalid_json');
  }
  if (text.trim() === '')
    throw refuse(400, 'request body is empty; send a JSON object', 'invalid_json');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw refuse(
      400,
      `request body is not valid JSON: ${(error as Error).message}`,
      'invalid_json',
    );
  }
}
