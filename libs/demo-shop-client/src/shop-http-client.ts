import { Agent, get } from 'node:http';
import { portRange, shopService } from '@vigil/demo-shop';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

const TIMEOUT_MS = 2_000;

export type CallResult = { ok: true } | { ok: false; reason: string };

/**
 * Calls a route of a shop service on one of its instances: client-side balancing over the
 * service's port range, skipping ports where nothing listens (an instance down or not started).
 */
export class ShopHttpClient {
  private next = new Map<string, number>();

  constructor(private readonly portOffset: number) {}

  /** `headers` go with the request: a trace's context (`traceparent`), say. */
  async call(
    service: string,
    route: string,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<CallResult> {
    const { from, to } = portRange(shopService(service));
    const size = to - from + 1;
    const start = this.next.get(service) ?? 0;
    this.next.set(service, (start + 1) % size);
    let lastReason = `no instance of ${service} answers`;
    for (let i = 0; i < size; i++) {
      const port = from + ((start + i) % size) + this.portOffset;
      const outcome = await this.attempt(port, route, headers);
      if (outcome === 'refused') continue;
      if (outcome === 'ok') return { ok: true };
      lastReason = `${service} ${route} ${outcome}`;
      return { ok: false, reason: lastReason };
    }
    return { ok: false, reason: lastReason };
  }

  // node:http rather than fetch: fetch refuses some ports outright (4190, 6000 ...)
  private attempt(
    port: number,
    route: string,
    headers: Readonly<Record<string, string>>,
  ): Promise<'ok' | 'refused' | string> {
    return new Promise((resolve) => {
      const request = get(
        { host: '127.0.0.1', port, path: `/api/${route}`, timeout: TIMEOUT_MS, agent, headers },
        (response) => {
          response.resume();
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            resolve(status >= 200 && status < 300 ? 'ok' : `answered ${status}`);
          });
        },
      );
      request.on('timeout', () => {
        request.destroy();
        resolve(`timed out after ${TIMEOUT_MS} ms`);
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        resolve(
          error.code === 'ECONNREFUSED' ? 'refused' : `failed (${error.code ?? error.message})`,
        );
      });
    });
  }
}
