import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait-for';

export interface RecordedSlackCall {
  /** The Web API method, e.g. `chat.postMessage`. */
  method: string;
  /** The form or JSON body, with the JSON-encoded fields (blocks, attachments …) decoded. */
  body: Record<string, unknown>;
  /** The bearer token the call was made with. */
  token?: string;
  /** What the recorder answered (with the `ts` it gave a posted message); not ok after `failNext`. */
  answer: Record<string, unknown>;
  ok: boolean;
  at: number;
}

type Answer = Record<string, unknown>;

/** The Slack Web API methods apps call, answered as Slack would; anything else gets `{ok: true}`. */
const ANSWERS: Record<string, (body: Record<string, unknown>, ts: string) => Answer> = {
  'auth.test': () => ({
    url: 'https://vigil-test.slack.com/',
    team: 'Vigil test',
    user: 'vigil',
    team_id: 'T0VIGIL',
    user_id: 'U0VIGILBOT',
    bot_id: 'B0VIGIL',
  }),
  'chat.postMessage': (body, ts) => ({
    channel: body.channel,
    ts,
    message: { type: 'message', ts, text: body.text, blocks: body.blocks },
  }),
  'chat.update': (body) => ({ channel: body.channel, ts: body.ts, text: body.text }),
  'chat.postEphemeral': (_body, ts) => ({ message_ts: ts }),
  'apps.connections.open': () => ({ url: 'ws://127.0.0.1:9/not-here' }),
};

function decodeFields(fields: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    try {
      body[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      body[key] = value;
    }
  }
  return body;
}

function parseBody(request: IncomingMessage, raw: string): Record<string, unknown> {
  if ((request.headers['content-type'] ?? '').startsWith('application/json'))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  return decodeFields(Object.fromEntries(new URLSearchParams(raw)));
}

/**
 * A local stand-in for Slack's Web API (`SLACK_API_URL`): it answers like Slack, with a fresh `ts`
 * for every message, and records each call for assertions. `failNext` makes the next calls of a
 * method fail as Slack reports errors (HTTP 200, `ok: false`).
 */
export class SlackRecorder {
  private readonly recorded: RecordedSlackCall[] = [];
  private readonly failures = new Map<string, string[]>();
  private sequence = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<SlackRecorder> {
    const server = createServer();
    const recorder = new SlackRecorder(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void recorder.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return recorder;
  }

  /** The base URL to give the app, e.g. `http://127.0.0.1:41234/api/`. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/`;
  }

  calls(method?: string): RecordedSlackCall[] {
    return this.recorded.filter((c) => method === undefined || c.method === method);
  }

  failNext(method: string, error = 'internal_error', times = 1): void {
    this.failures.set(method, [
      ...(this.failures.get(method) ?? []),
      ...Array<string>(times).fill(error),
    ]);
  }

  /** Waits for a call of `method` matching `match`, made after `since` calls were recorded. */
  async waitForCall(
    method: string,
    match: (call: RecordedSlackCall) => boolean = () => true,
    timeoutMs = 30_000,
    since = 0,
  ): Promise<RecordedSlackCall> {
    let found: RecordedSlackCall | undefined;
    await waitFor(
      `a Slack ${method} call`,
      () => {
        found = this.recorded.slice(since).find((c) => c.method === method && match(c));
        return found !== undefined;
      },
      timeoutMs,
      50,
    ).catch((error: Error) => {
      const seen = this.recorded.map((c) => `${c.method} ${JSON.stringify(c.body).slice(0, 300)}`);
      throw new Error(`${error.message}\nrecorded calls:\n${seen.join('\n')}`);
    });
    return found as RecordedSlackCall;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0];
    let body: Record<string, unknown>;
    try {
      body = parseBody(request, Buffer.concat(chunks).toString('utf8'));
    } catch {
      return this.answer(response, { ok: false, error: 'invalid_json' });
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const failure = this.failures.get(method)?.shift();
    const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.sequence).padStart(6, '0')}`;
    const answer = failure
      ? { ok: false, error: failure }
      : { ok: true, ...(ANSWERS[method]?.(body, ts) ?? {}) };
    this.recorded.push({ method, body, token, answer, ok: !failure, at: Date.now() });
    this.answer(response, answer);
  }

  private answer(response: ServerResponse, body: Answer): void {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }
}
