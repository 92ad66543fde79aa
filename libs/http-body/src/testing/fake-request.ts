import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';

/**
 * For specs: a request whose body is already written, with its headers, as a body reader sees it
 * (`complete` once the stream has ended, as Node sets it).
 */
export function fakeRequest(
  body: string | Buffer[],
  headers: Record<string, string>,
): IncomingMessage {
  const stream = new PassThrough();
  Object.assign(stream, { headers, complete: false });
  stream.on('end', () => Object.assign(stream, { complete: true }));
  const chunks = typeof body === 'string' ? [Buffer.from(body)] : body;
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return stream as unknown as IncomingMessage;
}
