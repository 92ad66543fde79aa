import { createServer, type Server } from 'node:http';
import { sendWithRetries } from './notification-sender';

/** A local receiver that answers each request with the next of `answers` (the last repeats). */
async function receiver(answers: Array<{ status: number; body?: string; delayMs?: number }>) {
  let calls = 0;
  const server: Server = createServer((_req, res) => {
    const answer = answers[Math.min(calls, answers.length - 1)] ?? { status: 200 };
    calls += 1;
    setTimeout(() => {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body ?? '{}');
    }, answer.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    request: { url: `http://127.0.0.1:${port}/`, method: 'POST' as const, headers: {}, body: '{}' },
    calls: () => calls,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const options = { timeoutMs: 500, retry: { attempts: 3, baseMs: 5, maxMs: 20 } };

describe('sendWithRetries', () => {
  it('tries again after 5xx and succeeds once the receiver is up', async () => {
    const r = await receiver([{ status: 503 }, { status: 502 }, { status: 202 }]);
    await expect(sendWithRetries(r.request, options)).resolves.toEqual({ ok: true, attempts: 3 });
    await r.close();
  });

  it('gives up after the attempts with the last reason', async () => {
    const r = await receiver([{ status: 500, body: 'boom' }]);
    const outcome = await sendWithRetries(r.request, options);
    expect(outcome).toEqual({ ok: false, attempts: 3, reason: 'HTTP 500 boom' });
    await r.close();
  });

  it('does not retry a 4xx, nor a Slack refusal in a 200', async () => {
    const bad = await receiver([{ status: 400, body: 'invalid routing_key' }]);
    expect(await sendWithRetries(bad.request, options)).toMatchObject({ ok: false, attempts: 1 });
    await bad.close();
    const slack = await receiver([
      { status: 200, body: '{"ok":false,"error":"channel_not_found"}' },
    ]);
    expect(await sendWithRetries(slack.request, options)).toEqual({
      ok: false,
      attempts: 1,
      reason: 'refused: channel_not_found',
    });
    await slack.close();
  });

  it('times out a receiver that hangs, and retries it', async () => {
    const r = await receiver([{ status: 200, delayMs: 2_000 }]);
    const outcome = await sendWithRetries(r.request, { ...options, timeoutMs: 100 });
    expect(outcome).toMatchObject({ ok: false, attempts: 3 });
    expect(outcome.ok === false && outcome.reason).toMatch(/timeout|abort/i);
    expect(r.calls()).toBe(3);
    await r.close();
  });
});
