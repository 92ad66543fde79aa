import { fakeRequest } from '@vigil/http-body';
import { readBody, readJsonBody } from './json-body';
import { IngestRejection } from './ingest-rejection';

// What a body may be is @vigil/http-body's (and its spec's); this is how ingest answers a refusal.

const json = { 'content-type': 'application/json' };

async function rejectionOf(promise: Promise<unknown>): Promise<IngestRejection> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(IngestRejection);
    return error as IngestRejection;
  }
  throw new Error('expected a rejection');
}

describe('readJsonBody', () => {
  it('parses JSON of a JSON media type', async () => {
    await expect(readJsonBody(fakeRequest('{"a":1}', json), 100)).resolves.toEqual({ a: 1 });
  });

  it('answers another media type, charset or encoding with 415 unsupported-media-type', async () => {
    const rejection = await rejectionOf(
      readJsonBody(fakeRequest('{}', { 'content-type': 'text/plain' }), 100),
    );
    expect(rejection).toMatchObject({
      status: 415,
      reason: 'unsupported-media-type',
      message: 'send Content-Type: application/json, got "text/plain"',
      headers: {},
    });
  });

  it('answers a body over the limit with 413 payload-too-large, naming the variable, and closes', async () => {
    const declared = await rejectionOf(
      readJsonBody(fakeRequest('{}', { ...json, 'content-length': '101' }), 100),
    );
    const streamed = await rejectionOf(
      readJsonBody(fakeRequest([Buffer.alloc(101, 0x20)], json), 100),
    );
    for (const rejection of [declared, streamed])
      expect(rejection).toMatchObject({
        status: 413,
        reason: 'payload-too-large',
        message:
          'request body is larger than 100 bytes (INGEST_MAX_BODY_BYTES); send fewer alerts per request',
        headers: { Connection: 'close' },
      });
  });

  it('answers an empty body, bytes that are not UTF-8 and broken JSON with 400 malformed-json', async () => {
    const bodies: Array<[string | Buffer[], RegExp]> = [
      [' ', /empty/],
      [[Buffer.from('"caf\xe9"', 'latin1')], /not valid UTF-8/],
      ['{"alerts": [', /^request body is not valid JSON: /],
    ];
    for (const [body, message] of bodies) {
      const rejection = await rejectionOf(readJsonBody(fakeRequest(body, json), 100));
      expect(rejection).toMatchObject({ status: 400, reason: 'malformed-json', headers: {} });
      expect(rejection.message).toMatch(message);
    }
  });
});

describe('readBody', () => {
  it('reads the bytes, and answers a body over the limit as readJsonBody does', async () => {
    const body = await readBody(fakeRequest('abc', {}), 100);
    expect(body.toString()).toBe('abc');
    expect(await rejectionOf(readBody(fakeRequest([Buffer.alloc(101)], {}), 100))).toMatchObject({
      status: 413,
      reason: 'payload-too-large',
      headers: { Connection: 'close' },
    });
  });
});
