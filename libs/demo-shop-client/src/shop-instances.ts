import { request } from 'node:http';
import { portRange, shopService } from '@vigil/demo-shop';

export interface ShopAddress {
  /** Before every service name (the topology ids of a prefixed shop). */
  prefix: string;
  portOffset: number;
}

export interface LiveInstance {
  port: number;
  healthy: boolean;
  version?: string;
}

/** JSON over HTTP to one shop instance on this machine; undefined when nothing answers. */
export function callInstance(
  port: number,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown } | undefined> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        timeout: 2_000,
        headers: payload ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end(payload);
  });
}

/** The instances of a service that answer at all (a broken release answers 500: still live). */
export async function liveInstances(service: string, at: ShopAddress): Promise<LiveInstance[]> {
  const { from, to } = portRange(shopService(service));
  const ports = Array.from({ length: to - from + 1 }, (_, i) => from + i + at.portOffset);
  const answers = await Promise.all(
    ports.map(async (port) => ({ port, answer: await callInstance(port, 'GET', '/healthz') })),
  );
  return answers.flatMap(({ port, answer }) => {
    if (!answer) return [];
    const version = (answer.json as { version?: unknown } | undefined)?.version;
    return [
      { port, healthy: answer.status === 200, ...(typeof version === 'string' && { version }) },
    ];
  });
}
