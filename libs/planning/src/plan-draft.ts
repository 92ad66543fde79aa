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
}

/** The plan as published, written at `at` (ms) by `model`. */
export function planFromDraft(draft: PlanDraft, at: number, model: string): RemediationPlan {
  return {
    schemaVersion: 1,
    // unique across episodes of the incident and restarts of the planner: the executor runs a
    // plan id once
    planId: `plan-${draft.incidentId}-${at.toString(36)}`,
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
