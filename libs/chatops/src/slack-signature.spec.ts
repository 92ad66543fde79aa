import { signSlackRequest, verifySlackSignature } from './slack-signature';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const now = Date.parse('2026-11-27T10:00:00Z');
const ts = String(now / 1000);
const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';

describe('verifySlackSignature', () => {
  it('accepts a correctly signed, fresh request', () => {
    expect(verifySlackSignature(secret, ts, body, signSlackRequest(secret, ts, body), now)).toEqual(
      { ok: true },
    );
  });

  it('refuses a tampered body, a wrong secret, a stale or future timestamp, and missing headers', () => {
    const signature = signSlackRequest(secret, ts, body);
    expect(verifySlackSignature(secret, ts, `${body}x`, signature, now)).toMatchObject({
      ok: false,
      reason: 'signature does not match the body',
    });
    expect(verifySlackSignature('another-secret', ts, body, signature, now).ok).toBe(false);
    expect(verifySlackSignature(secret, ts, body, signature, now + 6 * 60_000)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^stale request/),
    });
    expect(verifySlackSignature(secret, ts, body, signature, now - 6 * 60_000).ok).toBe(false);
    expect(verifySlackSignature(secret, undefined, body, signature, now).ok).toBe(false);
    expect(verifySlackSignature(secret, ts, body, undefined, now).ok).toBe(false);
    expect(verifySlackSignature(secret, ts, body, 'v0=short', now).ok).toBe(false);
  });
});
