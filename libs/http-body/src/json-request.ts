import type { IncomingMessage } from 'node:http';

/** What is wrong with a request body; each app turns it into its own error. */
export type BodyProblem =
  | 'unsupported-media-type'
  | 'too-large'
  | 'unreadable'
  | 'empty'
  | 'not-utf8'
  | 'not-json';

/** A request body refused, with the HTTP status to answer and a message for the client. */
export class BodyRefusal extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly problem: BodyProblem,
    message: string,
  ) {
    super(message);
    this.name = 'BodyRefusal';
  }
}

const unsupported = (message: string) => new BodyRefusal(415, 'unsupported-media-type', message);

/** application/json or a +json type, in UTF-8 (RFC 8259 allows no other charset), uncompressed. */
function checkMediaType(request: IncomingMessage): void {
  const [type = '', ...parameters] = (request.headers['content-type'] ?? '').split(';');
  const mediaType = type.trim().toLowerCase();
  if (mediaType !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType))
    throw unsupported(
      `send Content-Type: application/json, got ${mediaType ? `"${mediaType}"` : 'none'}`,
    );
  const charset = parameters
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8')
    throw unsupported(`send the JSON in UTF-8, got charset ${charset}`);
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    throw unsupported(`Content-Encoding ${encoding} is not supported; send the JSON uncompressed`);
}

const tooLarge = (maxBytes: number) =>
  new BodyRefusal(413, 'too-large', `request body is larger than ${maxBytes} bytes`);

/**
 * The body up to `maxBytes`. A declared Content-Length over the limit is refused before a byte is
 * read; a longer stream is cut off as soon as it passes the limit, so an oversized or endless body
 * never sits in memory. A body that breaks off (a stream error, the client closing the connection
 * mid-body) is a 400. Throws a plain Error, not a refusal, when something read the stream before.
 */
export function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  // nothing more would arrive, and the promise would never settle
  if (request.readableEnded)
    return Promise.reject(new Error('the request body was already read by something else'));
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
      reject(new BodyRefusal(400, 'unreadable', `request body could not be read: ${why}`));
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
 * The request body as JSON, or a BodyRefusal that says what is wrong with it: 415 for another
 * media type, charset or a Content-Encoding, 413 for a body over `maxBytes`, 400 for a body that
 * breaks off, is empty, is not UTF-8 or is not JSON.
 */
export async function readJsonRequest(
  request: IncomingMessage,
  maxBytes: number,
): Promise<unknown> {
  checkMediaType(request);
  const body = await readRequestBody(request, maxBytes);
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new BodyRefusal(400, 'not-utf8', 'request body is not valid UTF-8');
  }
  if (text.trim() === '')
    throw new BodyRefusal(400, 'empty', 'request body is empty; send a JSON document');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BodyRefusal(
      400,
      'not-json',
      `request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}
