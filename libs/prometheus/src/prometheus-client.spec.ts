import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusClient, PrometheusUnavailableError } from './prometheus-client';
import { PrometheusQueryError } from './query-range-response';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let handler: Handler;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const json = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};
const client = (
  overrides: Partial<{ url: string; timeoutMs: number; maxResponseBytes: number }> = {},
) => new PrometheusClient({ url, timeoutMs: 2000, maxResponseBytes: 1 << 20, ...overrides });
const range = {
  query: 'up{service=~"a"}',
  start: 1_700_000_000_000,
  end: 1_700_000_600_000,
  stepMs: 15_000,
};

describe('the Prometheus client', () => {
  it('POSTs query_range as a form, in seconds, and reads the matrix', async () => {
    let seen: { path?: string; form?: URLSearchParams } = {};
    handler = (req, body, res) => {
      seen = { path: req.url, form: new URLSearchParams(body) };
      json(res, 200, {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [{ metric: { service: 'a' }, values: [[1700000000, '1']] }],
        },
      });
    };
    const result = await client({ url: `${url}/prom/` }).queryRange({ ...range, limit: 50 });
    expect(seen.path).toBe('/prom/api/v1/query_range');
    expect(Object.fromEntries(seen.form ?? [])).toEqual({
      query: 'up{service=~"a"}',
      start: '1700000000.000',
      end: '1700000600.000',
      step: '15',
      timeout: '2s',
      limit: '50',
    });
    expect(result.series).toEqual([
      { labels: { service: 'a' }, times: [1_700_000_000_000], values: [1] },
    ]);
  });

  it("raises Prometheus's own error for a query it refuses (400 with its JSON)", async () => {
    handler = (_req, _body, res) =>
      json(res, 400, { status: 'error', errorType: 'bad_data', error: 'parse error' });
    await expect(client().queryRange(range)).rejects.toThrow(PrometheusQueryError);
  });

  it('says it is unavailable on an HTTP error from before the API (a proxy page)', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    };
    await expect(client().queryRange(range)).rejects.toThrow(
      new PrometheusUnavailableError('HTTP 502 without a Prometheus answer'),
    );
  });

  it('gives up after its timeout when the answer does not come', async () => {
    handler = () => undefined;
    const started = Date.now();
    await expect(client({ timeoutMs: 300 }).queryRange(range)).rejects.toThrow(
      'no complete answer within 300 ms',
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops reading an answer larger than its bound', async () => {
    handler = (_req, _body, res) => json(res, 200, { status: 'success', pad: 'x'.repeat(10_000) });
    await expect(client({ maxResponseBytes: 1000 }).queryRange(range)).rejects.toThrow(
      'the answer is larger than 1000 bytes',
    );
  });

  it('says it is unavailable when nothing listens, naming the address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(client({ url: `http://127.0.0.1:${port}` }).queryRange(range)).rejects.toThrow(
      `connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it('widens the step so that no series asks for more points than Prometheus allows', async () => {
    let step = '';
    handler = (_req, body, res) => {
      step = new URLSearchParams(body).get('step') ?? '';
      json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [] } });
    };
    await client().queryRange({ ...range, end: range.start + 7 * 24 * 3_600_000, stepMs: 1000 });
    expect(Number(step)).toBeGreaterThanOrEqual(60.48);
  });
});
