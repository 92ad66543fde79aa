import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';

/**
 * A local HTTP server on a free port, standing in for what an app calls out to (a platform's
 * webhook): a suite says how it answers each request's body.
 */
export abstract class LocalReceiver {
  port = 0;
  private server?: Server;

  protected abstract handle(
    headers: IncomingHttpHeaders,
    body: string,
    res: ServerResponse,
  ): void | Promise<void>;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => void this.handle(req.headers, body, res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/**
 * A model gateway that is down (503 to every call): a planner pointed at it plans with known-good
 * runbooks only, and the follow-ups it drafts fail.
 */
export class NoModel extends LocalReceiver {
  protected handle(_headers: IncomingHttpHeaders, _body: string, res: ServerResponse): void {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'no model in this test' } }));
  }
}
