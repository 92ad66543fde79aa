import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { readJsonBody } from './json-body';
import type { IngestRejection } from './ingest-rejection';

function request(body: string | Buffer[], headers: Record<string, string>): IncomingMessage {
  const stream = new PassThrough();
  Object.assign(stream, { headers, complete: false });
  stream.on('end', () => Object.assign(stream, { complete: true }));
  const chunks = typeof body === 'string' ? [Buffer.from(body)] : body;
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return stream as unknown as IncomingMessage;
}

const json = { 'content-type': 'application/json' };

async function rejectionOf(promise: Promise<unknown>): Promise<IngestRejection> {
  try {
    await promise;
  } catch (error) {
    return error as IngestRejection;
  }
  throw new Error('expected a rejection');
}

describe('readJsonBody', () => {
  it('parses JSON of a JSON media type', async () => {
    await expect(readJsonBody(request('{"a":1}', json), 100)).resolves.toEqual({ a: 1 });
    const vendor = { 'content-type': 'application/vnd.vigil+json; charset=UTF-8' };
    await expect(readJsonBody(request('[1]', vendor), 100)).resolves.toEqual([1]);
  });

  it('refuses other media types, charsets and encodings with 415', async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'application/json; charset=latin1' },
      { ...json, 'content-encoding': 'gzip' },
    ];
    for (const headers of cases) {
      const rejection = await rejectionOf(readJsonBody(request('{}', headers), 100));
      expect(rejection).toMatchObject({ status: 415, reason: 'unsupported-media-type' });
    }
  });

  it('refuses a declared length over the limit before reading', async () => {
    const rejection = await rejectionOf(
      readJsonBody(request('{}', { ...json, 'content-length': '101' }), 100),
    );
    expect(rejection).toMatchObject({ status: 413, headers: { Connection: 'close' } });
    expect(rejection.message).toMatch(/larger than 100 bytes/);
  });

  it('stops reading a stream once it passes the limit', async () => {
    const chunks = Array.from({ length: 50 }, () => Buffer.alloc(10, 0x20));
    const rejection = await rejectionOf(readJsonBody(request(chunks, json), 100));
    expect(rejection).toMatchObject({ status: 413, reason: 'payload-too-large' });
  });

  it('says where JSON is broken, and that an empty body is not JSON', async () => {
    const broken = await rejectionOf(readJsonBody(request('{"alerts": [', json), 100));
    expect(broken).toMatchObject({ status: 400, reason: 'malformed-json' });
    expect(broken.message).toMatch(/not valid JSON/);
    const empty = await rejectionOf(readJsonBody(request(' ', json), 100));
    expect(empty.message).toMatch(/empty/);
  });
});
