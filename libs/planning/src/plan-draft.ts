import { createHash } from 'node:crypto';
import { planHeadline, type FaultClass } from '@vigil/action-catalog';
import type { PlanStep, RemediationPlan } from '@vigil/contracts';

/** A runbook ready to go out as a plan: what the model (or the catalog) wrote, and for what. */
export interface PlanDraft {
  incidentId: string;
  /** The diagnosed service the runbook treats. */
  target: string;
  faultClass: FaultClass;
  /** The target's replicas when the draft was written (the known-good runbook scales from it). */
  replicas: number;
  summary: string;
  steps: Array<Omit<PlanStep, 'stepId'>>;
  /** The steps are the catalog's known-good runbook, not the model's. */
  fallbackUsed: boolean;
  promptHash: string;
  /** Ids of the past plans the model was shown as examples. */
  similarPlans: string[];
  /** The evidence signature the steps were drafted from (no model asked); see signatureDraft. */
  signature?: string;
}

/** Which plan of its incident a plan is. */
export interface PlanNumber {
  /** 0 for the incident's first episode, one more each time it reopens after it resolved. */
  episode: number;
  /** 1 for the first plan of the episode, one more for each plan after it. */
  attempt: number;
}

/**
 * The id of a plan: a hash of what makes it this plan, not of when it was written, so a planner
 * that restarts, or takes over the partition, and drafts the same plan again publishes it under
 * the same id, and the executor (which runs a plan id once) runs it once. A new episode or a
 * new attempt is a new plan, with a new id.
 */
export function planIdFor(incidentId: string, service: string, number: PlanNumber): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([incidentId, service, number.episode, number.attempt]))
    .digest('hex')
    .slice(0, 16);
  return `plan-${incidentId}-${digest}`;
}

/** The plan as published, written at `at` (ms) by `model`, the `number`th of its incident. */
export function planFromDraft(
  draft: PlanDraft,
  at: number,
  model: string,
  number: PlanNumber,
): RemediationPlan {
  return {
    schemaVersion: 1,
    planId: planIdFor(draft.incidentId, draft.target, number),
    incidentId: draft.incidentId,
    createdAt: new Date(at).toISOString(),
    faultClass: draft.faultClass,
    summary: draft.summary,
    headline: planHeadline(draft.faultClass, draft.target, draft.steps),
    steps: draft.steps.map((step, i) => ({ ...step, stepId: `s${i + 1}` })),
    provenance: {
      model,
      promptHash: draft.promptHash,
      fallbackUsed: draft.fallbackUsed,
      similarPlans: draft.similarPlans,
    },
  };
}
