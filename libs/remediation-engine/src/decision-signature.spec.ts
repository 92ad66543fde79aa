import { generateKeyPairSync } from 'node:crypto';
import { checkDecision, signDecision } from './decision-signature';
import { canonicalJson, planContentHash } from './plan-content';
import { PLAN, decision } from './testing/engine-fixtures';

const console = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const keys = new Map([['console', console.publicKey]]);
const signer = { keyId: 'console', privateKey: console.privateKey };
const approval = decision('approve', 'approver');

describe('planContentHash', () => {
  it('is the same whatever the key order, and changes with any step parameter', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"e":3,"f":2}]},"b":1}',
    );
    const reordered = {
      ...PLAN,
      steps: PLAN.steps.map((s) => ({ ...s, params: { ...s.params } })),
    };
    expect(planContentHash(reordered)).toBe(planContentHash(PLAN));
    const altered = {
      ...PLAN,
      steps: PLAN.steps.map((s, i) => (i === 0 ? { ...s, params: { replicas: 60 } } : s)),
    };
    expect(planContentHash(altered)).not.toBe(planContentHash(PLAN));
    expect(planContentHash({ ...PLAN, summary: 'other words' } as typeof PLAN)).toBe(
      planContentHash(PLAN),
    );
  });
});

describe('checkDecision', () => {
  it('counts a decision signed by a known key over this plan', () => {
    expect(checkDecision(signDecision(approval, PLAN, signer), PLAN, keys)).toEqual({
      ok: true,
      verified: true,
    });
  });

  it('refuses a forged signature, an unknown signer, and a changed role', () => {
    const forged = signDecision(approval, PLAN, {
      keyId: 'console',
      privateKey: stranger.privateKey,
    });
    expect(checkDecision(forged, PLAN, keys)).toMatchObject({ ok: false, code: 'bad-signature' });
    const unknown = signDecision(approval, PLAN, { keyId: 'cli', privateKey: stranger.privateKey });
    expect(checkDecision(unknown, PLAN, keys)).toMatchObject({ ok: false, code: 'unknown-signer' });
    const viewer = signDecision(decision('approve', 'viewer'), PLAN, signer);
    const promoted = { ...viewer, by: { ...viewer.by, role: 'approver' as const } };
    expect(checkDecision(promoted, PLAN, keys)).toMatchObject({ ok: false, code: 'bad-signature' });
  });

  it('refuses a decision made on other content under the same plan id', () => {
    const altered = { ...PLAN, steps: PLAN.steps.slice(0, 1) };
    const onAltered = signDecision(approval, altered, signer);
    expect(checkDecision(onAltered, PLAN, keys)).toMatchObject({
      ok: false,
      code: 'content-mismatch',
    });
  });

  it('refuses a decision replayed onto another plan', () => {
    const other = { ...PLAN, planId: 'plan-2' };
    const signed = signDecision(approval, PLAN, signer);
    expect(checkDecision({ ...signed, planId: 'plan-2' }, other, keys)).toMatchObject({
      ok: false,
      code: 'bad-signature',
    });
  });

  it('refuses unsigned decisions when keys are configured, and accepts them without keys', () => {
    expect(checkDecision(approval, PLAN, keys)).toMatchObject({ ok: false, code: 'unsigned' });
    expect(checkDecision(approval, PLAN, new Map())).toEqual({ ok: true, verified: false });
    const wrongHash = { ...approval, contentHash: 'f'.repeat(64) };
    expect(checkDecision(wrongHash, PLAN, new Map())).toMatchObject({
      ok: false,
      code: 'content-mismatch',
    });
  });
});
