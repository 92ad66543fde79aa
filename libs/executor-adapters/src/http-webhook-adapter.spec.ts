import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { StepRequest } from './execution-adapter';
import { HttpWebhookAdapter } from './http-webhook-adapter';
import { verifyWebhookSignature } from './webhook-signature';

interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
  signature: ReturnType<typeof verifyWebhookSignature>;
}

/** A receiver that checks each request's signature as a real one would, and answers `reply`. */
function startReceiver(secret: string) {
  const received: Received[] = [];
  const state = { reply: (_body: string): [number, string] | 'hang' => [200, '{}'] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const header = req.headers['x-vigil-signature'];
      const timestamp = req.headers['x-vigil-timestamp'];
      const signature = verifyWebhookSignature(
        secret,
        typeof timestamp === 'string' ? timestamp : undefined,
        body,
        typeof header === 'string' ? header : undefined,
        Date.now(),
        60_000,
      );
      received.push({ body, headers: req.headers, signature });
      const answer = state.reply(body);
      if (answer === 'hang') return; // never answers: the client's timeout must end it
      res.writeHead(answer[0], { 'Content-Type': 'application/json' }).end(answer[1]);
    });
  });
  return { server, received, state };
}

const step: StepRequest = {
  planId: 'plan-1',
  stepId: 'step-1',
  action: 'restart',
  target: 'checkout',
  params: { batchSize: 1 },
  idempotencyKey: 'plan-1/step-1',
  dryRun: false,
};

describe('HttpWebhookAdapter against a real receiver', () => {
  const secret = 'shared-secret';
  const receiver = startReceiver(secret);
  let url: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/vigil`;
  });
  afterAll(async () => {
    receiver.server.closeAllConnections();
    await new Promise((resolve) => receiver.server.close(resolve));
  });
  beforeEach(() => (receiver.received.length = 0));

  /** A fresh ledger file each time unless one is passed: a new adapter knows no key. */
  const adapter = (extra: Partial<ConstructorParameters<typeof HttpWebhookAdapter>[0]> = {}) =>
    new HttpWebhookAdapter({
      secret,
      defaultUrl: url,
      timeoutMs: 500,
      retryDelayMs: 10,
      ledgerFile: join(mkdtempSync(join(tmpdir(), 'vigil-webhook-')), 'ledger.jsonl'),
      ...extra,
    });

  it('sends a signed step with its idempotency key and maps the answer', async () => {
    receiver.state.reply = () => [
      200,
      JSON.stringify({ outcome: 'applied', detail: 'restarted 2 pods', after: { replicas: 2 } }),
    ];
    const result = await adapter().apply(step);
    expect(result).toEqual({
      outcome: 'applied',
      detail: 'restarted 2 pods',
      after: { replicas: 2 },
    });
    const [got] = receiver.received;
    expect(got.signature).toEqual({ ok: true });
    expect(got.headers['idempotency-key']).toBe('plan-1/step-1');
    expect(got.headers['x-vigil-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(JSON.parse(got.body)).toEqual({ type: 'step', request: step });
  });

  it('is refused by the receiver when signed with another secret or a stale clock', async () => {
    receiver.state.reply = () => [200, JSON.stringify({ replicas: 1 })];
    await adapter({ secret: 'wrong' }).describe('checkout');
    await adapter({ now: () => Date.now() - 10 * 60_000 }).describe('checkout');
    expect(receiver.received.map((r) => r.signature)).toEqual([
      { ok: false, reason: 'signature does not match' },
      { ok: false, reason: expect.stringContaining('away from now') },
    ]);
  });

  it('turns a timeout into a failed step with the reason, sent once', async () => {
    receiver.state.reply = () => 'hang';
    const result = await adapter({ timeoutMs: 150 }).apply(step);
    expect(result).toEqual({
      outcome: 'failed',
      detail: expect.stringContaining('timed out after 150 ms'),
    });
    expect(receiver.received).toHaveLength(1);
  });

  it('does not send a key again after a restart: the ledger is on disk', async () => {
    receiver.state.reply = () => [200, JSON.stringify({ outcome: 'applied', detail: 'ok' })];
    const ledgerFile = join(mkdtempSync(join(tmpdir(), 'vigil-webhook-')), 'ledger.jsonl');
    await adapter({ ledgerFile }).apply(step);
    const restarted = adapter({ ledgerFile });
    expect((await restarted.apply(step)).outcome).toBe('already-applied');
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].headers['idempotency-key']).toBe(step.idempotencyKey);
  });

  it('retries calls that change nothing', async () => {
    let calls = 0;
    receiver.state.reply = () => (++calls < 3 ? [503, 'busy'] : [200, '{"replicas":3}']);
    expect(await adapter({ retries: 2 }).describe('checkout')).toEqual({ replicas: 3 });
    expect(receiver.received).toHaveLength(3);
  });

  it('fails a step on a malformed or off-contract answer, saying why', async () => {
    receiver.state.reply = () => [200, 'OK!'];
    expect((await adapter().apply(step)).detail).toContain('malformed JSON: OK!');
    receiver.state.reply = () => [200, JSON.stringify({ outcome: 'done', detail: 7 })];
    const offContract = await adapter().apply({ ...step, idempotencyKey: 'k2' });
    expect(offContract.outcome).toBe('failed');
    expect(offContract.detail).toMatch(/does not fit the contract: outcome: .*; detail: /);
    receiver.state.reply = () => [500, '{"error":"boom"}'];
    expect((await adapter().apply({ ...step, idempotencyKey: 'k3' })).detail).toBe(
      'receiver answered 500: {"error":"boom"}',
    );
  });

  it('refuses an "applied" answer to a dry-run', async () => {
    receiver.state.reply = () => [200, JSON.stringify({ outcome: 'applied', detail: 'oops' })];
    const result = await adapter().apply({ ...step, dryRun: true });
    expect(result).toEqual({ outcome: 'failed', detail: expect.stringContaining('to a dry-run') });
  });

  it('does not send a key twice once it was applied', async () => {
    receiver.state.reply = () => [200, JSON.stringify({ outcome: 'applied', detail: 'ok' })];
    const hook = adapter();
    await hook.apply(step);
    expect((await hook.apply(step)).outcome).toBe('already-applied');
    expect(receiver.received).toHaveLength(1);
  });

  it('maps verification answers and refuses unknown targets and actions', async () => {
    receiver.state.reply = () => [
      200,
      JSON.stringify({ passed: true, detail: 'p99 80ms', observed: 80 }),
    ];
    const check = await adapter().verify({
      kind: 'latency-below',
      target: 'checkout',
      threshold: 100,
      deadlineMs: 1000,
    });
    expect(check).toEqual({ passed: true, detail: 'p99 80ms', observed: 80 });
    const narrow = adapter({
      defaultUrl: undefined,
      urls: { checkout: url },
      actions: ['restart'],
    });
    expect(narrow.supports('restart', 'payments')).toEqual({
      supported: false,
      reason: 'no webhook URL for target payments',
    });
    expect(narrow.supports('failover', 'checkout').supported).toBe(false);
    expect(narrow.supportsDryRun('restart', 'checkout')).toBe(true);
  });
});
