import {
  type OutboundRequest,
  isRetryableStatus,
  retryDelayMs,
  type RetrySchedule,
} from '@vigil/notification';

export type SendOutcome =
  | { ok: true; attempts: number }
  | { ok: false; attempts: number; reason: string };

type AttemptResult = { ok: true } | { ok: false; retryable: boolean; reason: string };

async function attempt(request: OutboundRequest, timeoutMs: number): Promise<AttemptResult> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text().catch(() => '');
    if (response.ok) return refusedIn200(text) ?? { ok: true };
    return {
      ok: false,
      retryable: isRetryableStatus(response.status),
      reason: `HTTP ${response.status} ${text.slice(0, 300)}`.trim(),
    };
  } catch (error) {
    return { ok: false, retryable: true, reason: reasonOf(error) };
  }
}

/** Slack's Web API answers 200 with `{"ok": false, "error": ...}` when it refuses a message. */
function refusedIn200(text: string): AttemptResult | undefined {
  try {
    const answer = JSON.parse(text) as { ok?: unknown; error?: unknown };
    if (answer?.ok !== false) return undefined;
    const error = String(answer.error ?? 'unknown error');
    return { ok: false, retryable: error === 'ratelimited', reason: `refused: ${error}` };
  } catch {
    return undefined;
  }
}

/** fetch says only "fetch failed": the cause (ECONNREFUSED, a DNS failure) is the useful part. */
function reasonOf(error: unknown): string {
  // duck-typed, not instanceof: fetch's errors may come from another realm (a test runner's)
  const cause = (error as { cause?: { message?: unknown } } | undefined)?.cause;
  const detail = typeof cause?.message === 'string' ? `: ${cause.message}` : '';
  return `${String(error)}${detail}`;
}

/**
 * Sends `request` with a timeout per try, and tries again after a backoff on a timeout, a refused
 * connection, 429 or 5xx; a 4xx other than 429 will not get better and ends at once.
 */
export async function sendWithRetries(
  request: OutboundRequest,
  options: { timeoutMs: number; retry: RetrySchedule; signal?: AbortSignal },
): Promise<SendOutcome> {
  for (let tries = 1; ; tries++) {
    const result = await attempt(request, options.timeoutMs);
    if (result.ok) return { ok: true, attempts: tries };
    const wait = result.retryable ? retryDelayMs(options.retry, tries, Math.random()) : undefined;
    if (wait === undefined || options.signal?.aborted)
      return { ok: false, attempts: tries, reason: result.reason };
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
