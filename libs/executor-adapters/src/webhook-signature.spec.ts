import { signatureHeaderValue, verifyWebhookSignature } from './webhook-signature';

describe('verifyWebhookSignature', () => {
  const secret = 's3cret';
  const now = 1_700_000_000_000;
  const timestamp = String(now - 1_000);
  const body = '{"type":"describe","target":"checkout"}';
  const header = signatureHeaderValue(secret, timestamp, body);

  it('accepts a fresh request signed with the secret', () => {
    expect(verifyWebhookSignature(secret, timestamp, body, header, now, 60_000)).toEqual({
      ok: true,
    });
  });

  it('refuses a tampered body, another secret and a moved timestamp', () => {
    const tampered = body.replace('checkout', 'payments');
    expect(verifyWebhookSignature(secret, timestamp, tampered, header, now, 60_000).ok).toBe(false);
    expect(verifyWebhookSignature('other', timestamp, body, header, now, 60_000).ok).toBe(false);
    const moved = String(now - 500);
    expect(verifyWebhookSignature(secret, moved, body, header, now, 60_000)).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
  });

  it('refuses stale and future timestamps with the distance', () => {
    const stale = String(now - 120_000);
    const staleHeader = signatureHeaderValue(secret, stale, body);
    const check = verifyWebhookSignature(secret, stale, body, staleHeader, now, 60_000);
    expect(check).toEqual({ ok: false, reason: expect.stringContaining('120000 ms away') });
    const future = String(now + 120_000);
    const futureHeader = signatureHeaderValue(secret, future, body);
    expect(verifyWebhookSignature(secret, future, body, futureHeader, now, 60_000).ok).toBe(false);
  });

  it('refuses missing or malformed headers without throwing', () => {
    expect(verifyWebhookSignature(secret, undefined, body, header, now, 60_000).ok).toBe(false);
    expect(verifyWebhookSignature(secret, 'yesterday', body, header, now, 60_000).ok).toBe(false);
    expect(verifyWebhookSignature(secret, timestamp, body, undefined, now, 60_000).ok).toBe(false);
    expect(verifyWebhookSignature(secret, timestamp, body, 'v1=abc', now, 60_000).ok).toBe(false);
    expect(verifyWebhookSignature(secret, timestamp, body, 'v0=' + 'a'.repeat(64), now, 1).ok).toBe(
      false,
    );
  });

  it('accepts any listed v1 signature, for secret rotation', () => {
    const old = signatureHeaderValue('old-secret', timestamp, body);
    expect(
      verifyWebhookSignature(secret, timestamp, body, `${old}, ${header}`, now, 60_000).ok,
    ).toBe(true);
  });
});
