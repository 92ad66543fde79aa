/** A failure that retrying cannot fix (bad data, a rule refused): goes to the DLQ at once. */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

export interface RetryPolicy {
  /** Attempts in total, the first one included, for a failure that is neither transient nor permanent. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /**
   * The longest wait between tries after a transient failure (a dependency down): those are
   * retried without a limit, so an outage pauses the work instead of dead-lettering it.
   */
  transientMaxDelayMs?: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  transientMaxDelayMs: 30_000,
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

/** Why a handler failed, as far as retrying goes. */
export type FailureKind =
  /** A dependency is down, unreachable or slow: the same message will work once it is back. */
  | 'transient'
  /** The message itself cannot be handled (bad data, a rule refused): retrying cannot help. */
  | 'permanent'
  /** Anything else (a bug, most likely): a few tries, then the DLQ. */
  | 'unknown';

/** Thrown by a handler whose dependency is unavailable, for a failure the classifier cannot tell. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** Error codes of a peer that is down or slow: Node and undici sockets, the Neo4j driver. */
const transientCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
  'Neo.ClientError.Cluster.NotALeader',
  'Neo.ClientError.General.ForbiddenOnReadOnlyDatabase',
]);

/** Error names of timeouts and lost connections: fetch, the OpenAI SDK, kafkajs. */
const transientNames = new Set([
  'TimeoutError',
  'AbortError',
  'APIConnectionError',
  'APIConnectionTimeoutError',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSLockTimeout',
]);

const transientMessage =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b|socket hang up/;

function isTransientOne(error: Record<string, unknown>): boolean {
  const code = typeof error['code'] === 'string' ? error['code'] : '';
  const status = typeof error['status'] === 'number' ? error['status'] : 0;
  return (
    error['name'] === 'TransientError' ||
    transientCodes.has(code) ||
    code.startsWith('Neo.TransientError.') ||
    transientNames.has(String(error['name'])) ||
    // kafkajs marks the errors a retry may fix; the Neo4j driver those a new transaction may
    error['retriable'] === true ||
    // an HTTP answer that says "later": a timeout, throttling, a gateway or a server that is not
    // there. A plain 500 is not among them: a server that fails on one request may fail on it
    // every time, and a message held for ever would stop its partition.
    status === 408 ||
    status === 429 ||
    status === 502 ||
    status === 503 ||
    status === 504 ||
    (typeof error['message'] === 'string' && transientMessage.test(error['message']))
  );
}

/** The error and what caused it: the cause chain, and each error an AggregateError holds. */
function errorChain(error: unknown, seen = new Set<unknown>()): Array<Record<string, unknown>> {
  if (typeof error !== 'object' || error === null || seen.has(error) || seen.size > 20) return [];
  seen.add(error);
  const record = error as Record<string, unknown>;
  const inner = Array.isArray(record['errors']) ? record['errors'] : [];
  return [
    record,
    ...errorChain(record['cause'], seen),
    // the Slack SDK keeps the underlying error as `original`
    ...errorChain(record['original'], seen),
    ...inner.flatMap((e) => errorChain(e, seen)),
  ];
}

/**
 * Transient when the error, or anything in its cause chain, says a dependency is unavailable:
 * connection refused or reset, Neo4j ServiceUnavailable or SessionExpired or a transient Neo4j
 * code, a timeout, a kafkajs error marked retriable, an HTTP 408, 429, 502, 503 or 504. Permanent
 * when it is a PermanentError (the handler said so). A permanent mark wins over a transient cause: the
 * handler knows best.
 */
export function classifyFailure(error: unknown): FailureKind {
  const chain = errorChain(error);
  if (chain.some((e) => e instanceof PermanentError || e['name'] === 'PermanentError'))
    return 'permanent';
  return chain.some(isTransientOne) ? 'transient' : 'unknown';
}

/** The wait before try `attempt + 1` after `attempt` transient failures in a row (ms). */
export function transientDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const maxDelayMs = policy.transientMaxDelayMs ?? defaultRetryPolicy.transientMaxDelayMs ?? 30_000;
  return backoffDelay(attempt, { ...policy, maxDelayMs }, random);
}

export interface OutageRetryHooks {
  /** May throw to end the retries (the consumer stops, or its group rebalances). */
  sleep?: (ms: number) => Promise<void>;
  classify?: (error: unknown) => FailureKind;
  random?: () => number;
  /** Told of each transient failure, before the wait. */
  onTransient?: (error: Error, attempt: number, waitMs: number) => void;
}

/**
 * Runs `work` until it succeeds, fails permanently, or fails `policy.attempts` times for an
 * unknown reason. Transient failures are retried without a limit, with backoff up to
 * `transientMaxDelayMs`, and do not count towards the attempts: a dependency outage of minutes
 * pauses the work, it does not make the message poison.
 */
export async function retryThroughOutages<T>(
  work: () => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
  hooks: OutageRetryHooks = {},
): Promise<AttemptOutcome<T>> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const classify = hooks.classify ?? classifyFailure;
  let transientInARow = 0;
  let otherFailures = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await work(), attempts: attempt };
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const kind = classify(caught);
      if (kind === 'permanent') return { ok: false, error, attempts: attempt, permanent: true };
      if (kind === 'transient') {
        transientInARow++;
        const waitMs = transientDelay(transientInARow, policy, hooks.random);
        hooks.onTransient?.(error, transientInARow, waitMs);
        await sleep(waitMs);
        continue;
      }
      transientInARow = 0;
      otherFailures++;
      if (otherFailures >= policy.attempts)
        return { ok: false, error, attempts: attempt, permanent: false };
      await sleep(backoffDelay(otherFailures, policy, hooks.random));
    }
  }
}
