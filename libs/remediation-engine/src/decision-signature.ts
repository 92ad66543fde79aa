import { type KeyObject, sign, verify } from 'node:crypto';
import type { RemediationDecision, RemediationPlan } from '@vigil/contracts';
import { canonicalJson, planContentHash } from './plan-content';

type PlanContent = Pick<RemediationPlan, 'planId' | 'incidentId' | 'createdAt' | 'steps'>;

/** A console's or Slack app's Ed25519 private key and the id the executor knows it by. */
export interface DecisionSigner {
  keyId: string;
  privateKey: KeyObject;
}

/** The executor's public keys by key id; empty means it checks no signature (local development). */
export type DecisionKeys = ReadonlyMap<string, KeyObject>;

/** The signed bytes: every field of the decision but the signature, as canonical JSON. */
export function decisionSigningBytes(decision: RemediationDecision): Buffer {
  const { signature: _signature, ...signed } = decision;
  return Buffer.from(canonicalJson(signed), 'utf8');
}

/**
 * The decision bound to the plan as the person saw it: the plan's content hash and the signer's
 * key id go into the signed bytes, so neither the role, the plan id nor the hash can be changed
 * without breaking the signature.
 */
export function signDecision(
  decision: RemediationDecision,
  plan: PlanContent,
  signer: DecisionSigner,
): RemediationDecision {
  const bound: RemediationDecision = {
    ...decision,
    contentHash: planContentHash(plan),
    signer: signer.keyId,
  };
  delete bound.signature;
  const signature = sign(null, decisionSigningBytes(bound), signer.privateKey).toString('base64');
  return { ...bound, signature };
}

export type DecisionRefusalCode =
  | 'unsigned'
  | 'unknown-signer'
  | 'bad-signature'
  | 'other-plan'
  | 'content-mismatch';

export type DecisionCheck =
  | { ok: true; verified: boolean }
  | { ok: false; code: DecisionRefusalCode; reason: string };

/**
 * Whether the executor may count a decision for the plan it holds. With keys configured
 * (production) a decision must be signed by one of them over the hash of exactly this plan's
 * content; without keys (local development) an unsigned one is accepted (`verified: false`), but a
 * content hash that is present must still match.
 */
export function checkDecision(
  decision: RemediationDecision,
  plan: PlanContent,
  keys: DecisionKeys,
): DecisionCheck {
  const who = `${decision.decision} ${decision.decisionId} by ${decision.by.user} (${decision.by.role})`;
  if (decision.planId !== plan.planId)
    return refuse('other-plan', `${who} is for plan ${decision.planId}, not ${plan.planId}`);
  if (keys.size > 0) {
    const signed = signature(decision, keys, who);
    if (!signed.ok) return signed;
  }
  if (decision.contentHash !== undefined && decision.contentHash !== planContentHash(plan))
    return refuse(
      'content-mismatch',
      `${who} was made on other content than plan ${plan.planId} has (content hash ${decision.contentHash.slice(0, 12)}...)`,
    );
  if (keys.size > 0 && decision.contentHash === undefined)
    return refuse('unsigned', `${who} names no content hash`);
  return { ok: true, verified: keys.size > 0 };
}

function signature(decision: RemediationDecision, keys: DecisionKeys, who: string): DecisionCheck {
  if (decision.signature === undefined || decision.signer === undefined)
    return refuse(
      'unsigned',
      `${who} is not signed, and this executor accepts signed decisions only`,
    );
  const key = keys.get(decision.signer);
  if (!key) return refuse('unknown-signer', `${who} is signed by unknown key "${decision.signer}"`);
  let valid = false;
  try {
    valid = verify(
      null,
      decisionSigningBytes(decision),
      key,
      Buffer.from(decision.signature, 'base64'),
    );
  } catch {
    valid = false;
  }
  return valid
    ? { ok: true, verified: true }
    : refuse('bad-signature', `${who}: the signature of key "${decision.signer}" does not verify`);
}

const refuse = (code: DecisionRefusalCode, reason: string): DecisionCheck => ({
  ok: false,
  code,
  reason,
});
