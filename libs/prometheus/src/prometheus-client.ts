import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseQueryRangeResponse, type RangeResult } from './query-range-response';

export interface PrometheusClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:9090 (a path prefix is kept). */
  url: string;
  /** Per request, connecting and reading the whole answer included. */
  timeoutMs: number;
  /** An answer larger than this is cut off and counts as an error, so memory stays bounded. */
  maxResponseBytes: number;
}

export interface RangeQuery {
  query: string;
  /** Epoch ms. */
  start: number;
  end: number;
  stepMs: number;
  /** At most this many series (Prometheus's `limit`; the reader also cuts the answer). */
  limit?: number;
}

/** Prometheus could not be asked: refused, timed out, an HTTP error without its JSON, too large. */
export class PrometheusUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusUnavailableError';
  }
}

/** Prometheus keeps a range query to 11,000 points per series; the step grows to stay below. */
const maxPointsPerSeries = 10_000;

/**
 * A small client of Prometheus's HTTP API: `query_range` only. POST with a form body, so a selector
 * naming hundreds of entities is not limited by URL length.
 */
export class PrometheusClient {
  private readonly base: URL;

  constructor(private readonly options: PrometheusClientOptions) {
    this.base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:')
      throw new Error(`the Prometheus URL must be http or https, got ${options.url}`);
  }

  get url(): string {
    return this.base.origin + this.base.pathname.replace(/\/$/, '');
  }

  async queryRange(query: RangeQuery): Promise<RangeResult> {
    const stepMs = Math.max(
      query.stepMs,
      Math.ceil((query.end - query.start) / maxPointsPerSeries),
    );
    const form = new URLSearchParams({
      query: query.query,
      start: (query.start / 1000).toFixed(3),
      end: (query.end / 1000).toFixed(3),
      step: (stepMs / 1000).toString(),
      timeout: `${Math.max(1, Math.floor(this.options.timeoutMs / 1000))}s`,
    });
    if (query.limit !== undefined) form.set('limit', String(query.limit));
    const { status, body } = await this.post(new URL('api/v1/query_range', this.base), form);
    const json = parseJson(body);
    // 400, 422 and 503 carry Prometheus's own JSON error; other codes come from before the API
    if (json === undefined)
      throw new PrometheusUnavailableError(`HTTP ${status} without a Prometheus answer`);
    const result = parseQueryRangeResponse(json);
    if (query.limit !== undefined && result.series.length > query.limit)
      result.series = result.series.slice(0, query.limit);
    return result;
  }

  private post(url: URL, form: URLSearchParams): Promise<{ status: number; body: string }> {
    const payload = form.toString();
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const { timeoutMs, maxResponseBytes } = this.options;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | undefined, answer?: { status: number; body: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          req.destroy();
          reject(
            error instanceof PrometheusUnavailableError
              ? error
              : new PrometheusUnavailableError(errorText(error)),
          );
        } else if (answer) resolve(answer);
      };
      const req = send(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(payload),
            accept: 'application/json',
          },
        },
        (res) => readBody(res, maxResponseBytes, settle),
      );
      // one deadline for the whole exchange, answer included, not per socket event
      const timer = setTimeout(
        () => settle(new PrometheusUnavailableError(`no complete answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      req.on('error', (error) => settle(error));
      req.end(payload);
    });
  }
}

type Settle = (error: Error | undefined, answer?: { status: number; body: string }) => void;

function readBody(res: IncomingMessage, maxBytes: number, settle: Settle): void {
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes)
      settle(new PrometheusUnavailableError(`the answer is larger than ${maxBytes} bytes`));
    else chunks.push(chunk);
  });
  res.on('error', (error) => settle(error));
  res.on('end', () =>
    settle(undefined, {
      status: res.statusCode ?? 0,
      body: Buffer.concat(chunks).toString('utf8'),
    }),
  );
}

/** Node's connection errors name the address (`connect ECONNREFUSED 127.0.0.1:9090`). */
function errorText(error: Error): string {
  return error.message || ((error as NodeJS.ErrnoException).code ?? String(error));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
