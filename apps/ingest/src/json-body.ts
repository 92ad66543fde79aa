import type { IncomingMessage } from 'node:http';
import { IngestRejection } from './ingest-rejection';

const closeConnection = { Connection: 'close' };

/** application/json or a +json type, in UTF-8 (RFC 8259 allows no other charset). */
function checkMediaType(request: IncomingMessage): void {
  const [type = '', ...parameters] = (request.headers['content-type'] ?? '').split(';');
  const mediaType = type.trim().toLowerCase();
  if (mediaType !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType))
    throw new IngestRejection(
      415,
      'unsupported-media-type',
      `expected Content-Type: application/json, got ${mediaType ? `"${mediaType}"` : 'none'}`,
    );
  const charset = parameters
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8')
    throw new IngestRejection(
      415,
      'unsupported-media-type',
      `expected UTF-8 JSON, got charset ${charset}`,
    );
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    throw new IngestRejection(
      415,
      'unsupported-media-type',
      `Content-Encoding ${encoding} is not supported; send the JSON uncompressed`,
    );
}

function tooLarge(maxBytes: number): IngestRejection {
  return new IngestRejection(
    413,
    'payload-too-large',
    `request body is larger than ${maxBytes} bytes (INGEST_MAX_BODY_BYTES); send fewer alerts per request`,
    closeConnection,
  );
}

/**
 * Reads the body up to `maxBytes`. A declared Content-Length over the limit is refused before a
 * byte is read; a longer stream is cut off as soon as it passes the limit, so an oversized or
 * endless body never sits in memory. The connection is closed after such a refusal.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
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
      reject(new IngestRejection(400, 'malformed-json', `request body could not be read: ${why}`));
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks, size)));
    request.once('error', (error) => cutShort(error.message));
    // A client that goes away mid-body ends the stream with neither 'end' nor always 'error'.
    request.once('close', () => {
      if (!request.complete) cutShort('the client closed the connection');
    });
  });
}

/** The body as JSON, or a rejection that says what is wrong with it (415, 413 or 400). */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  checkMediaType(request);
  const body = await readBody(request, maxBytes);
  const text = body.toString('utf8');
  if (text.trim() === '')
    throw new IngestRejection(
      400,
      'malformed-json',
      'request body is empty; expected a JSON document',
    );
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new IngestRejection(
      400,
      'malformed-json',
      `request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}
