import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { BodyRefusal, readJsonRequest, readRequestBody } from './json-request';
import { fakeRequest } from './testing/fake-request';

const json = { 'content-type': 'application/json' };

async function refusalOf(promise: Promise<unknown>): Promise<BodyRefusal> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BodyRefusal);
    return error as BodyRefusal;
  }
  throw new Error('expected a refusal');
}

describe('readJsonRequest', () => {
  it('parses JSON of a JSON media type in UTF-8', async () => {
    await expect(readJsonRequest(fakeRequest('{"a":1}', json), 100)).resolves.toEqual({ a: 1 });
    const vendor = { 'content-type': 'application/vnd.vigil+json; charset=UTF-8' };
    await expect(readJsonRequest(fakeRequest('[1]', vendor), 100)).resolves.toEqual([1]);
    const identity = { ...json, 'content-encoding': 'identity' };
    await expect(readJsonRequest(fakeRequest('"é"', identity), 100)).resolves.toBe('é');
  });

  it.each<[string, Record<string, string>, string]>([
    ['no Content-Type', {}, 'send Content-Type: application/json, got none'],
    [
      'text/plain',
      { 'content-type': 'text/plain' },
      'send Content-Type: application/json, got "text/plain"',
    ],
    [
      'a form',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'send Content-Type: application/json, got "application/x-www-form-urlencoded"',
    ],
    [
      'another charset',
      { 'content-type': 'application/json; charset="latin1"' },
      'send the JSON in UTF-8, got charset latin1',
    ],
    [
      'a Content-Encoding',
      { ...json, 'content-encoding': 'gzip' },
      'Content-Encoding gzip is not supported; send the JSON uncompressed',
    ],
  ])('refuses %s with 415 before reading', async (_, headers, message) => {
    const body = fakeRequest('{}', headers);
    const refusal = await refusalOf(readJsonRequest(body, 100));
    expect(refusal).toMatchObject({ status: 415, problem: 'unsupported-media-type', message });
    expect(body.readableEnded).toBe(false);
  });

  it('refuses a declared length over the limit before reading', async () => {
    const body = fakeRequest('{}', { ...json, 'content-length': '101' });
    const refusal = await refusalOf(readJsonRequest(body, 100));
    expect(refusal).toMatchObject({
      status: 413,
      problem: 'too-large',
      message: 'request body is larger than 100 bytes',
    });
    expect(body.readableEnded).toBe(false);
  });

  it('stops reading a stream once it passes the limit', async () => {
    const chunks = Array.from({ length: 50 }, () => Buffer.alloc(10, 0x20));
    const refusal = await refusalOf(readJsonRequest(fakeRequest(chunks, json), 100));
    expect(refusal).toMatchObject({ status: 413, problem: 'too-large' });
    await expect(
      readJsonRequest(fakeRequest(chunks.slice(0, 10), json), 100),
    ).rejects.toMatchObject({
      problem: 'empty',
    });
  });

  it('refuses a body that is empty, not UTF-8 or not JSON with 400, saying where JSON breaks', async () => {
    expect(await refusalOf(readJsonRequest(fakeRequest(' \n', json), 100))).toMatchObject({
      status: 400,
      problem: 'empty',
      message: 'request body is empty; send a JSON document',
    });
    const latin1 = [Buffer.from('"caf\xe9"', 'latin1')];
    expect(await refusalOf(readJsonRequest(fakeRequest(latin1, json), 100))).toMatchObject({
      status: 400,
      problem: 'not-utf8',
      message: 'request body is not valid UTF-8',
    });
    const broken = await refusalOf(readJsonRequest(fakeRequest('{"alerts": [', json), 100));
    expect(broken).toMatchObject({ status: 400, problem: 'not-json' });
    expect(broken.message).toMatch(/^request body is not valid JSON: /);
  });

  it('refuses a stream that fails with 400', async () => {
    const stream = new PassThrough();
    Object.assign(stream, { headers: json, complete: false });
    const reading = readJsonRequest(stream as unknown as IncomingMessage, 100);
    stream.destroy(new Error('socket hang up'));
    expect(await refusalOf(reading)).toMatchObject({
      status: 400,
      problem: 'unreadable',
      message: 'request body could not be read: socket hang up',
    });
  });
});

describe('readRequestBody', () => {
  it('throws a plain Error for a body something else already read', async () => {
    const body = fakeRequest('{}', json);
    body.resume();
    await new Promise((resolve) => body.once('end', resolve));
    const reading = readRequestBody(body, 100);
    await expect(reading).rejects.toThrow('already read');
    await expect(reading).rejects.not.toBeInstanceOf(BodyRefusal);
  });

  describe('on a real HTTP server', () => {
    let server: Server;
    let port: number;
    let outcome: Promise<unknown>;
    let settled: (value: unknown) => void;

    beforeAll(async () => {
      server = createServer((req, res) => {
        readRequestBody(req, 1000).then(
          (body) => settled(body),
          (error: unknown) => settled(error),
        );
        req.once('end', () => res.end());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    beforeEach(() => {
      outcome = new Promise((resolve) => (settled = resolve));
    });

    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('reads a body sent in pieces', async () => {
      const client = httpRequest({ port, method: 'POST', headers: json });
      client.write('{"a":');
      client.end('1}');
      client.on('response', (res) => res.resume());
      expect(((await outcome) as Buffer).toString()).toBe('{"a":1}');
    });

    it('refuses with 400 a body whose client closes the connection mid-body', async () => {
      const client = httpRequest({
        port,
        method: 'POST',
        headers: { ...json, 'content-length': '100' },
      });
      client.on('error', () => undefined);
      client.write('{"a":', () => setTimeout(() => client.destroy(), 50));
      expect(await outcome).toMatchObject({
        status: 400,
        problem: 'unreadable',
        message: expect.stringMatching(/^request body could not be read: /),
      });
    });
  });
});
