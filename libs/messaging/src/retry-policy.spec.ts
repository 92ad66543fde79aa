import {
  backoffDelay,
  classifyFailure,
  PermanentError,
  retryThroughOutages,
  TransientError,
  transientDelay,
  withRetries,
} from './retry-policy';

const policy = { attempts: 4, initialDelayMs: 100, maxDelayMs: 250 };
const noSleep = async () => undefined;

describe('withRetries', () => {
  it('retries transient failures and reports the attempts it took', async () => {
    let calls = 0;
    const outcome = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw new Error('broker not available');
        return 'done';
      },
      policy,
      noSleep,
    );
    expect(outcome).toEqual({ ok: true, value: 'done', attempts: 3 });
  });

  it('gives up after the configured attempts with the last error', async () => {
    let calls = 0;
    const outcome = await withRetries(
      async () => {
        calls++;
        throw new Error(`timeout ${calls}`);
      },
      policy,
      noSleep,
    );
    expect(calls).toBe(4);
    expect(outcome).toMatchObject({ ok: false, attempts: 4, permanent: false });
    if (!outcome.ok) expect(outcome.error.message).toBe('timeout 4');
  });

  it('does not retry a permanent error', async () => {
    let calls = 0;
    const outcome = await withRetries(
      async () => {
        calls++;
        throw new PermanentError('unknown entity kind');
      },
      policy,
      noSleep,
    );
    expect(calls).toBe(1);
    expect(outcome).toMatchObject({ ok: false, attempts: 1, permanent: true });
  });

  it('waits longer after each failure, up to the ceiling', async () => {
    const waits: number[] = [];
    await withRetries(
      async () => {
        throw new Error('down');
      },
      policy,
      async (ms) => {
        waits.push(ms);
      },
    );
    expect(waits).toHaveLength(3);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[2]).toBeLessThanOrEqual(250);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt and stays within half to full of the ceiling', () => {
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 1)).toBe(200);
    expect(backoffDelay(3, policy, () => 1)).toBe(250);
    expect(backoffDelay(2, policy, () => 0)).toBe(100);
  });
});

/** Errors as the libraries throw them, by their public shape (no driver needed). */
function neo4jError(code: string): Error {
  return Object.assign(new Error(`Neo4j said ${code}`), { name: 'Neo4jError', code });
}

describe('classifyFailure', () => {
  it.each([
    ['Neo4j is down', neo4jError('ServiceUnavailable')],
    ['a Neo4j session expired', neo4jError('SessionExpired')],
    ['a Neo4j deadlock', neo4jError('Neo.TransientError.Transaction.DeadlockDetected')],
    ['a Neo4j query timed out', neo4jError('Neo.ClientError.Transaction.TransactionTimedOut')],
    [
      'fetch could not connect',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8090'), {
          code: 'ECONNREFUSED',
        }),
      }),
    ],
    [
      'a timeout signal',
      Object.assign(new Error('The operation timed out'), { name: 'TimeoutError' }),
    ],
    [
      'kafkajs gave up on a retriable error',
      Object.assign(new Error('retries exceeded'), {
        name: 'KafkaJSNumberOfRetriesExceeded',
        retriable: false,
        cause: Object.assign(new Error('Connection timeout'), {
          name: 'KafkaJSConnectionError',
          retriable: true,
        }),
      }),
    ],
    ['a model gateway answering 503', Object.assign(new Error('503 busy'), { status: 503 })],
    [
      'a proxy whose upstream is down',
      Object.assign(new Error('502 bad gateway'), { status: 502 }),
    ],
    ['the handler says so', new TransientError('model gateway restarting')],
    [
      'Slack unreachable',
      Object.assign(new Error('A request error occurred'), {
        code: 'slack_webapi_request_error',
        original: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      }),
    ],
  ])('calls %s transient', (_what, error) => {
    expect(classifyFailure(error)).toBe('transient');
  });

  it('calls a PermanentError permanent, even with a transient cause', () => {
    const cause = neo4jError('ServiceUnavailable');
    expect(classifyFailure(new PermanentError('unknown entity kind', { cause }))).toBe('permanent');
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a Neo4j syntax error', neo4jError('Neo.ClientError.Statement.SyntaxError')],
    ['a refused request', Object.assign(new Error('400 bad request'), { status: 400 })],
    // it may fail on this request every time: retried a few times, then parked, not held for ever
    ['a server error', Object.assign(new Error('500 internal error'), { status: 500 })],
    ['something thrown that is no error', 'boom'],
  ])('calls %s unknown', (_what, error) => {
    expect(classifyFailure(error)).toBe('unknown');
  });
});

describe('transientDelay', () => {
  const patient = {
    attempts: 3,
    initialDelayMs: 100,
    maxDelayMs: 1_000,
    transientMaxDelayMs: 60_000,
  };

  it('doubles from the initial delay and stops growing at the transient ceiling, not the other one', () => {
    const schedule = [1, 2, 3, 8, 10, 11, 30].map((n) => transientDelay(n, patient, () => 1));
    expect(schedule).toEqual([100, 200, 400, 12_800, 51_200, 60_000, 60_000]);
  });

  it('waits at least half of the step, so replicas do not retry in step', () => {
    expect(transientDelay(11, patient, () => 0)).toBe(30_000);
  });

  it('has a ceiling of minutes at most by default', () => {
    const { transientMaxDelayMs: _unset, ...plain } = patient;
    expect(transientDelay(40, plain, () => 1)).toBe(30_000);
  });
});

describe('retryThroughOutages', () => {
  const quick = { attempts: 3, initialDelayMs: 1, maxDelayMs: 1, transientMaxDelayMs: 1 };

  it('keeps trying through an outage longer than the other failures get', async () => {
    let calls = 0;
    const told: number[] = [];
    const outcome = await retryThroughOutages(
      async () => {
        calls++;
        if (calls <= 20) throw neo4jError('ServiceUnavailable');
        return 'written';
      },
      quick,
      { sleep: noSleep, onTransient: (_e, attempt) => told.push(attempt) },
    );
    expect(outcome).toEqual({ ok: true, value: 'written', attempts: 21 });
    expect(told).toHaveLength(20);
  });

  it('gives up on an unknown failure after the attempts', async () => {
    let calls = 0;
    const outcome = await retryThroughOutages(
      async () => {
        calls++;
        throw new TypeError('a bug');
      },
      quick,
      { sleep: noSleep },
    );
    expect(calls).toBe(3);
    expect(outcome).toMatchObject({ ok: false, attempts: 3, permanent: false });
  });

  it('does not count transient failures towards the attempts', async () => {
    const failures = [
      new TypeError('a bug'),
      neo4jError('SessionExpired'),
      neo4jError('SessionExpired'),
      new TypeError('a bug'),
    ];
    const outcome = await retryThroughOutages(
      async () => {
        const next = failures.shift();
        if (next) throw next;
        return 'ok';
      },
      quick,
      { sleep: noSleep },
    );
    expect(outcome).toEqual({ ok: true, value: 'ok', attempts: 5 });
  });

  it('stops at once on a permanent failure', async () => {
    let calls = 0;
    const outcome = await retryThroughOutages(
      async () => {
        calls++;
        throw new PermanentError('refused by policy');
      },
      quick,
      { sleep: noSleep },
    );
    expect(calls).toBe(1);
    expect(outcome).toMatchObject({ ok: false, attempts: 1, permanent: true });
  });

  it('ends when its wait throws (the consumer stops), with the error of the wait', async () => {
    const stopped = new Error('stopping');
    await expect(
      retryThroughOutages(
        async () => {
          throw neo4jError('ServiceUnavailable');
        },
        quick,
        {
          sleep: async () => {
            throw stopped;
          },
        },
      ),
    ).rejects.toBe(stopped);
  });
});
