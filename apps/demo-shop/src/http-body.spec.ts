import { HttpError, readJsonBody, requestUrl } from './http-body';

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) =>
      error instanceof HttpError ? { status: error.status, message: error.message } : error,
  );

describe("the shop's admin request bodies", () => {
  it('reads JSON across chunks, and an empty body as {}', async () => {
    await expect(readJsonBody(chunks('{"keyPattern":', '"cart:*"}'))).resolves.toEqual({
      keyPattern: 'cart:*',
    });
    await expect(readJsonBody(chunks())).resolves.toEqual({});
    await expect(readJsonBody(chunks('  \n'))).resolves.toEqual({});
  });

  it('refuses bad JSON with a 400 that says so, not as no body', async () => {
    expect(await refusal(readJsonBody(chunks('{bad')))).toMatchObject({
      status: 400,
      message: expect.stringContaining('body: not valid JSON'),
    });
  });

  it('refuses a body over the limit with a 413', async () => {
    expect(await refusal(readJsonBody(chunks('[1,', '2,3]'), 5))).toEqual({
      status: 413,
      message: 'body: larger than 5 bytes',
    });
  });

  it('refuses a request target no URL can be made of with a 400', () => {
    expect(requestUrl('/api/cart?x=1').pathname).toBe('/api/cart');
    expect(() => requestUrl('http://[')).toThrow(HttpError);
    expect(() => requestUrl('http://[')).toThrow('not a valid request target: "http://["');
  });
});
