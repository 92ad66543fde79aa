/** A failure that retrying cannot fix (bad data, a rule refused): goes to the DLQ at once. */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 5_000,
};

export type AttemptOutcome<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; error: Error; attempts: number; permanent: boolean };

/** Exponential backoff with full jitter, so many consumers retrying after a broker blip do not align. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

export async function withRetries<T>(
  work: () => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<AttemptOutcome<T>> {
  let lastError = new Error('no attempt made');
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      return { ok: true, value: await work(), attempts: attempt };
    } catch (caught) {
      lastError = caught instanceof Error ? caught : new Error(String(caught));
      if (lastError instanceof PermanentError)
        return { ok: false, error: lastError, attempts: attempt, permanent: true };
      if (attempt < policy.attempts) await sleep(backoffDelay(attempt, policy));
    }
  }
  return { ok: false, error: lastError, attempts: policy.attempts, permanent: false };
}
