import {
  SIGNATURE_PROMPT_PREFIX,
  type FaultClass,
  type SignatureMatch,
} from '@vigil/action-catalog';
import type { PlanDraft } from './plan-draft';

/** The author named in the provenance of plans drafted from an evidence signature. */
export const SIGNATURE_AUTHOR = 'evidence-signatures';

export interface SignatureDraftInput {
  incidentId: string;
  target: string;
  faultClass: FaultClass;
  replicas: number;
  match: SignatureMatch;
}

/**
 * The plan a signature in the target's own logs calls for: the one catalog step that treats what
 * holds the fault, ahead of the fault class's runbook and of the model. It is not the known-good
 * runbook (`fallbackUsed` false), so when it fails on its own the class's runbook follows once,
 * as after a model plan.
 */
export function signatureDraft(input: SignatureDraftInput): PlanDraft {
  const { match } = input;
  return {
    incidentId: input.incidentId,
    target: input.target,
    faultClass: input.faultClass,
    replicas: input.replicas,
    summary: `${input.target}'s logs show ${match.signature.id}: ${match.signature.action}`,
    steps: [match.step],
    fallbackUsed: false,
    promptHash: `${SIGNATURE_PROMPT_PREFIX}${match.signature.id}`,
    similarPlans: [],
    signature: match.signature.id,
  };
}
