import { z } from 'zod';
import { actionName, attributeMap, type PlanStep } from '@vigil/contracts';
import { actionDefinition, checkStep } from './action-catalog';

/**
 * What the model is asked to return (as JSON Schema in `response_format`): a summary and steps
 * from the catalog. Everything in it is untrusted until `validateRunbookDraft` says otherwise.
 */
export const runbookDraftSchema = z.strictObject({
  summary: z.string().min(1).max(2000),
  steps: z
    .array(
      z.strictObject({
        action: actionName,
        target: z.string().min(1).max(253),
        params: attributeMap.default({}),
        rationale: z.string().max(1000).default(''),
        verification: z.array(z.string().min(1).max(64)).max(5).default([]),
      }),
    )
    .min(1)
    .max(10),
});
export type RunbookDraft = z.infer<typeof runbookDraftSchema>;

export function runbookDraftJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(runbookDraftSchema) as Record<string, unknown>;
}

export type DraftCheck =
  | { ok: true; summary: string; steps: Array<Omit<PlanStep, 'stepId'>> }
  | { ok: false; reasons: string[] };

/**
 * Checks a model's answer: JSON of the draft's shape, every action in the catalog with valid
 * parameters, every target a known entity, verifications the action supports. All reasons are
 * collected, so a retry can be told everything that was wrong at once.
 */
export function validateRunbookDraft(raw: unknown, knownTargets: ReadonlySet<string>): DraftCheck {
  const text = typeof raw === 'string' ? parseJson(raw) : { ok: true as const, value: raw };
  if (!text.ok) return { ok: false, reasons: [text.reason] };
  const parsed = runbookDraftSchema.safeParse(text.value);
  if (!parsed.success) {
    return {
      ok: false,
      reasons: parsed.error.issues.map((i) => `${i.path.join('.') || 'draft'}: ${i.message}`),
    };
  }
  const reasons: string[] = [];
  const steps = parsed.data.steps.map((step, i) => {
    const where = `steps.${i} (${step.action} on ${step.target})`;
    if (!knownTargets.has(step.target)) reasons.push(`${where}: target is not in the topology`);
    const check = checkStep(step);
    if (!check.ok) reasons.push(`${where}: ${check.reason}`);
    const supported = actionDefinition(step.action).verifications as readonly string[];
    for (const v of step.verification)
      if (!supported.includes(v)) reasons.push(`${where}: ${step.action} cannot verify "${v}"`);
    return {
      ...step,
      params: check.ok ? (check.params as PlanStep['params']) : step.params,
      // a step nobody said how to check is checked the catalog's way: never applied unverified
      verification:
        step.verification.length > 0 ? step.verification : defaultVerification(step.action),
    };
  });
  return reasons.length > 0
    ? { ok: false, reasons }
    : { ok: true, summary: parsed.data.summary, steps: withoutRepeats(steps) };
}

/** A step repeated as it is does nothing the first did not: small models stutter. */
function withoutRepeats<S extends Pick<PlanStep, 'action' | 'target' | 'params'>>(steps: S[]): S[] {
  const seen = new Set<string>();
  return steps.filter((s) => {
    const key = JSON.stringify([s.action, s.target, s.params]);
    return !seen.has(key) && seen.add(key);
  });
}

/**
 * The checks of an action when a draft names none: all it supports that read live signals
 * (whether alerts resolved is for the incident, not for one step).
 */
export function defaultVerification(action: PlanStep['action']): string[] {
  return actionDefinition(action).verifications.filter((v) => v !== 'alerts-resolved');
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      reason: `not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
