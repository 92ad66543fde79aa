import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { fakeRequest } from '@vigil/http-body';
import { GatewayError } from './gateway-error';
import { readJsonBody } from './json-body';

// What a body may be is @vigil/http-body's (and its spec's), the answers over HTTP are in
// openai-http.spec.ts; this is the OpenAI error each refusal becomes.

const json = { 'content-type': 'application/json' };

async function errorOf(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('readJsonBody', () => {
  it('parses JSON', async () => {
    await expect(readJsonBody(fakeRequest('{"model":"m"}', json))).resolves.toEqual({ model: 'm' });
  });

  it.each<[string, string | Buffer[], Record<string, string>, number, string]>([
    ['another media type', '{}', { 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
    ['a body over the limit', [Buffer.alloc(11, 0x20)], json, 413, 'request_too_large'],
    ['an empty body', '', json, 400, 'invalid_json'],
    ['bytes that are not UTF-8', [Buffer.from('"caf\xe9"', 'latin1')], json, 400, 'invalid_json'],
    ['broken JSON', '{"model', json, 400, 'invalid_json'],
  ])('answers %s with an OpenAI error and its code', async (_, body, headers, status, code) => {
    const error = await errorOf(readJsonBody(fakeRequest(body, headers), 10));
    expect(error.status).toBe(status);
    expect(error.body).toEqual({
      error: { message: error.message, type: 'invalid_request_error', param: null, code },
    });
  });

  it('answers a body that breaks off with an OpenAI 400 invalid_body', async () => {
    const stream = new PassThrough();
    Object.assign(stream, { headers: json, complete: false });
    const reading = readJsonBody(stream as unknown as IncomingMessage);
    stream.destroy(new Error('socket hang up'));
    const error = await errorOf(reading);
    expect(error).toMatchObject({
      status: 400,
      message: 'request body could not be read: socket hang up',
    });
    expect(error.body.error.code).toBe('invalid_body');
  });

  it('fails, as a server error, when something read the body before the route', async () => {
    const body = fakeRequest('{}', json);
    body.resume();
    await new Promise((resolve) => body.once('end', resolve));
    const reading = readJsonBody(body);
    await expect(reading).rejects.toThrow('start the gateway with bodyParser: false');
    await expect(reading).rejects.not.toBeInstanceOf(GatewayError);
  });
});
