import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'x-vigil-signature';
export const timestampHeader = 'x-vigil-timestamp';
export const idempotencyHeader = 'idempotency-key';

/** Hex HMAC-SHA256 over `timestamp + '.' + body`: the timestamp is signed so it cannot be moved. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `X-Vigil-Signature` value: `v1=<hex>` (a version prefix leaves room for a new scheme). */
export function signatureHeaderValue(secret: string, timestamp: string, body: string): string {
  return `v1=${signWebhook(secret, timestamp, body)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * For receivers: whether a request was signed by a holder of `secret` within `toleranceMs` of
 * `now` (epoch ms). `timestamp` is the `X-Vigil-Timestamp` header (epoch ms), `header` the
 * `X-Vigil-Signature` header, which may list several `v1=` values (comma-separated) while a
 * secret is rotated. Compares in constant time; a stale or future timestamp is refused so a
 * captured request cannot be replayed later.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  body: string,
  header: string | undefined,
  now: number,
  toleranceMs: number,
): SignatureCheck {
  if (!timestamp || !/^\d{1,16}$/.test(timestamp))
    return { ok: false, reason: 'missing or malformed timestamp' };
  const age = Math.abs(now - Number(timestamp));
  if (age > toleranceMs)
    return { ok: false, reason: `timestamp is ${age} ms away from now (tolerance ${toleranceMs})` };
  const candidates = parseSignatures(header);
  if (candidates.length === 0) return { ok: false, reason: 'missing v1 signature' };
  const expected = Buffer.from(signWebhook(secret, timestamp, body), 'hex');
  const matches = candidates.some(
    (hex) => hex.length === expected.length && timingSafeEqual(hex, expected),
  );
  return matches ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

function parseSignatures(header: string | undefined): Buffer[] {
  return (header ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => /^v1=[0-9a-f]{64}$/i.test(part))
    .map((part) => Buffer.from(part.slice(3), 'hex'));
}
