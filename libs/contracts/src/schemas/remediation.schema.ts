import { z } from 'zod';
import { attributeMap, entityName, isoTime, schemaVersion1 } from './common';

export const actionName = z.enum([
  'restart',
  'scale',
  'rollback-deployment',
  'drain-instance',
  'flush-cache',
  'toggle-feature-flag',
  'failover',
  'run-diagnostic',
  'rollback-config',
  'clear-cache-key',
  'free-disk',
  'release-lock',
  'rotate-credentials',
]);

export const planStepSchema = z.object({
  stepId: z.string().min(1),
  action: actionName,
  target: entityName,
  params: attributeMap,
  rationale: z.string().max(2000).optional(),
  verification: z.array(z.string().min(1)).default([]),
});

/** A drafted runbook on `vigil.remediation.plans.v1`. */
export const remediationPlanSchema = z.object({
  schemaVersion: schemaVersion1,
  planId: z.string().min(1),
  incidentId: z.string().min(1),
  createdAt: isoTime,
  faultClass: z.string().min(1),
  /** The drafter's own words (a model's, or the known-good runbook's name). */
  summary: z.string().max(4000),
  /**
   * The diagnosis and the steps in one line, written by the planner from the plan itself and
   * never by a model: what people read first. Optional: plans from before it have none.
   */
  headline: z.string().max(300).optional(),
  steps: z.array(planStepSchema).min(1).max(20),
  provenance: z.object({
    model: z.string(),
    promptHash: z.string(),
    fallbackUsed: z.boolean(),
    /** Earlier plans found similar by meaning and shown to the model. */
    similarPlans: z.array(z.string()).optional(),
  }),
});

export const vigilRole = z.enum(['viewer', 'responder', 'approver']);

/** A person's decision on a plan on `vigil.remediation.decisions.v1`. */
export const remediationDecisionSchema = z.object({
  schemaVersion: schemaVersion1,
  decisionId: z.string().min(1),
  planId: z.string().min(1),
  decision: z.enum(['approve', 'reject', 'cancel']),
  /**
   * `user` is a stable key (a local user name, `issuer|sub` for OIDC, `slack:<user id>`);
   * `displayName` is only for showing and may change.
   */
  by: z.object({
    user: z.string().min(1),
    role: vigilRole,
    displayName: z.string().min(1).max(200).optional(),
  }),
  via: z.enum(['console', 'slack', 'api']),
  at: isoTime,
  reason: z.string().max(2000).optional(),
  /**
   * What the decision was made on, and who vouches for it: the SHA-256 of the plan's content as
   * the person saw it (libs/remediation-engine `planContentHash`), the key id of the console or
   * Slack app that signed, and the Ed25519 signature (base64) over every other field. Optional:
   * an executor without signer keys (local development) accepts decisions without them.
   */
  contentHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex')
    .optional(),
  signer: z.string().min(1).max(100).optional(),
  signature: z.string().min(1).max(200).optional(),
});

/** The audit trail of the executor on `vigil.remediation.executions.v1`: one event per fact. */
export const remediationExecutionSchema = z.object({
  schemaVersion: schemaVersion1,
  eventId: z.string().min(1),
  planId: z.string().min(1),
  incidentId: z.string().min(1),
  type: z.enum([
    'verdict',
    'step-started',
    'step-succeeded',
    'step-failed',
    'verification-passed',
    'verification-failed',
    'rollback-started',
    'rollback-finished',
    'plan-completed',
    'plan-aborted',
    'circuit-opened',
    'circuit-closed',
    // Refused input, with the reason: a second plan under a known id with other content, or a
    // decision whose signature, signer or content hash does not hold. The plan goes on as it was.
    'plan-refused',
    'decision-refused',
  ]),
  stepId: z.string().optional(),
  at: isoTime,
  detail: attributeMap.default({}),
});
export type ActionName = z.infer<typeof actionName>;
export type PlanStep = z.infer<typeof planStepSchema>;
export type RemediationPlan = z.infer<typeof remediationPlanSchema>;
export type RemediationDecision = z.infer<typeof remediationDecisionSchema>;
export type RemediationExecution = z.infer<typeof remediationExecutionSchema>;
export type VigilRole = z.infer<typeof vigilRole>;
