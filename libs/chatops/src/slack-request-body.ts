/** A signed request from Slack, read according to its content type. */
export type SlackRequestBody =
  | { kind: 'ssl-check' }
  | { kind: 'url-verification'; challenge: string }
  | { kind: 'payload'; body: Record<string, unknown> }
  | { kind: 'invalid'; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Slash commands come as form fields; interactivity (button clicks) as a form field `payload`
 * holding JSON; the Events API as JSON. Call it only after the signature was verified.
 */
export function parseSlackRequestBody(
  contentType: string | undefined,
  raw: string,
): SlackRequestBody {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') return fromForm(raw);
  if (mediaType === 'application/json') return fromJson(raw);
  return {
    kind: 'invalid',
    reason: `expected application/x-www-form-urlencoded or application/json, got ${mediaType || 'no content type'}`,
  };
}

function fromForm(raw: string): SlackRequestBody {
  const form = new URLSearchParams(raw);
  if (form.get('ssl_check') === '1') return { kind: 'ssl-check' };
  const payload = form.get('payload');
  if (payload === null) return { kind: 'payload', body: Object.fromEntries(form) };
  return fromJson(payload);
}

function fromJson(text: string): SlackRequestBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', reason: `body is not valid JSON: ${(error as Error).message}` };
  }
  if (!isRecord(body)) return { kind: 'invalid', reason: 'body is not a JSON object' };
  if (body.type === 'url_verification' && typeof body.challenge === 'string')
    return { kind: 'url-verification', challenge: body.challenge };
  return { kind: 'payload', body };
}
