import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Slack's request signing (v0): HMAC-SHA256 over `v0:{timestamp}:{raw body}` with the app's
 * signing secret. Requests older than five minutes are refused, so a captured request cannot be
 * replayed later; the comparison takes the same time whatever the signature.
 */
export function verifySlackSignature(
  signingSecret: string,
  timestamp: string | undefined,
  rawBody: string,
  signature: string | undefined,
  nowMs: number,
  toleranceMs = 5 * 60_000,
): SignatureCheck {
  if (!timestamp || !/^\d+$/.test(timestamp))
    return { ok: false, reason: 'missing or malformed X-Slack-Request-Timestamp' };
  if (!signature || !signature.startsWith('v0='))
    return { ok: false, reason: 'missing or malformed X-Slack-Signature' };
  const age = Math.abs(nowMs - Number(timestamp) * 1000);
  if (age > toleranceMs)
    return {
      ok: false,
      reason: `stale request: timestamp ${Math.round(age / 1000)} s away from now`,
    };
  const expected = Buffer.from(signSlackRequest(signingSecret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'signature does not match the body' };
  return { ok: true };
}

/** The `X-Slack-Signature` value Slack would send (and tests send). */
export function signSlackRequest(
  signingSecret: string,
  timestamp: string,
  rawBody: string,
): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}
