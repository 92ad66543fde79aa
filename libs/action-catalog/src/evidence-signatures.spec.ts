import {
  SIGNATURE_PROMPT_PREFIX,
  diagnosisLabel,
  matchSignature,
  signatureOfPromptHash,
} from './evidence-signatures';

const treat = (line: string, target = 'svc') => {
  const match = matchSignature(target, [line]);
  return match && { action: match.step.action, params: match.step.params };
};

describe('evidence signatures: what a log line says treats the fault', () => {
  it.each([
    // the same fault as different software words it
    [`could not extend file "base/16384/2619": No space left on device`],
    ['java.io.IOException: No space left on device'],
    [`ENOSPC: no space left on device, write '/data/cart/sessions'`],
    ['write /var/lib/app/tmp/blob: EDQUOT: disk quota exceeded'],
  ])('a full volume frees its scratch space: %s', (line) => {
    expect(treat(line)).toEqual({ action: 'free-disk', params: { area: 'tmp' } });
  });

  it.each([
    [
      'waiting for lock checkout-writer (held by checkout pid 4242 since 2026-12-01)',
      'checkout-writer',
    ],
    ['lock /data/cart/orders.lock held by pid 2231 which no longer exists', 'orders'],
    ['stale lock file /var/run/worker/queue.lock found at start', 'queue'],
    ['could not acquire lock "reindex": timeout after 30 s', 'reindex'],
  ])('a lock whose holder is gone is released by its name: %s', (line, lock) => {
    expect(treat(line)).toEqual({ action: 'release-lock', params: { lock } });
  });

  it.each([
    ['cannot decode value of key cart:hot: unexpected byte 0xff at offset 0', 'cart:hot'],
    [`failed to unmarshal cached value for key session:abc: invalid character 'x'`, 'session:abc'],
    ['Unable to deserialize entry for cache key "user.42.profile"', 'user.42.profile'],
  ])('an undecodable cache entry is cleared by its key: %s', (line, key) => {
    expect(treat(line, 'cache')).toEqual({ action: 'clear-cache-key', params: { key } });
  });

  it.each([
    [
      'authentication to catalog-db failed for user catalog: credentials expired at 2026-12-01T10:00:00Z',
      'catalog-db',
    ],
    ['401 Unauthorized from payments-api: token expired', 'payments-api'],
    ['certificate for ldap.internal has expired', 'ldap.internal'],
  ])('expired credentials are rotated for the dependency named: %s', (line, dependency) => {
    expect(treat(line)).toEqual({ action: 'rotate-credentials', params: { dependency } });
  });

  it('a primary failing at its disk fails over, to the healthy replica when one is named', () => {
    expect(treat('I/O error on primary catalog-db-a: read timed out on its data disk')).toEqual({
      action: 'failover',
      params: {},
    });
    expect(treat('catalog-db-0: disk latency 640 ms, replica catalog-db-1 healthy')).toEqual({
      action: 'failover',
      params: { toReplica: 'catalog-db-1' },
    });
  });

  it.each([
    // no parameter to act on: guessing a lock, a key or a dependency is not a treatment
    ['Lock wait timeout exceeded; try restarting transaction'],
    ['waiting for lock <*> (held by <*>)'],
    ['cannot decode value of key <*>: unexpected byte <*>'],
    ['x509: certificate has expired or is not yet valid'],
    // other faults, however close the words
    ['429 Too Many Requests from provider: monthly quota of payment exhausted'],
    ['password authentication failed for user "app"'],
    ['cache miss for key product:17'],
    ['disk usage at 45%'],
    ['replica lag 3 s behind primary'],
    ['SQL error: column "currency" of relation "orders" does not exist'],
  ])('no signature: %s', (line) => {
    expect(treat(line)).toBeUndefined();
  });

  it('takes the strongest template that shows a signature, with checks the action supports', () => {
    const match = matchSignature('cart', [
      'GET /api/cart 500',
      `ENOSPC: no space left on device, write '/data/cart/sessions'`,
      'waiting for lock cart-writer',
    ]);
    expect(match?.signature.id).toBe('volume-full');
    expect(match?.step).toMatchObject({ target: 'cart', action: 'free-disk' });
    // free-disk cannot be told by latency: only the checks it supports
    expect(match?.step.verification).toEqual(['error-rate-below', 'alerts-resolved']);
    expect(match?.step.rationale).toContain('ENOSPC');
  });

  it('names what a plan was drafted for, and reads the signature back from a plan', () => {
    expect(diagnosisLabel('errors')).toBe('errors');
    expect(diagnosisLabel('errors', 'volume-full')).toBe('errors+volume-full');
    expect(signatureOfPromptHash(`${SIGNATURE_PROMPT_PREFIX}stale-lock`)).toBe('stale-lock');
    expect(signatureOfPromptHash('known-good')).toBeUndefined();
  });
});
