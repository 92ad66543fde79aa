import { changesTarget, runbookFor, type FaultClass } from '@vigil/action-catalog';
import type { PlanStep } from '@vigil/contracts';
import type { PlanDraft } from './plan-draft';

/**
 * Known-good first: when the diagnosed fault class has a known-good runbook, it goes out at once
 * and the model's draft, written meanwhile, follows it only when it treats something the first
 * plan did not. Drafting never holds up a treatment that is known to be safe.
 */

/** What a step treats: its action on its target. Parameters aside: a wider restart is a restart. */
export type Treatment = Pick<PlanStep, 'action' | 'target'>;

export interface KnownGoodInput {
  incidentId: string;
  target: string;
  faultClass: FaultClass;
  /** The target's replicas now (the runbook scales from them). */
  replicas: number;
}

/** Marks the plans that are the catalog's runbook written without asking the model. */
export const KNOWN_GOOD_PROMPT_HASH = 'known-good';

/**
 * The known-good plan of a diagnosis, ready to go out before the model is asked; undefined when
 * the catalog's runbook for the fault class changes nothing on the target (`unknown` only runs a
 * diagnostic): such a novel fault is the model's to draft, as before.
 */
export function knownGoodDraft(input: KnownGoodInput): PlanDraft | undefined {
  const steps = runbookFor(input.faultClass, input.target, input.replicas);
  if (!steps.some((s) => s.target === input.target && changesTarget(s.action))) return undefined;
  return {
    incidentId: input.incidentId,
    target: input.target,
    faultClass: input.faultClass,
    replicas: input.replicas,
    summary: `Known-good runbook for ${input.faultClass} on ${input.target}`,
    steps,
    fallbackUsed: true,
    promptHash: KNOWN_GOOD_PROMPT_HASH,
    similarPlans: [],
  };
}

/**
 * The treatments of `follow` that `first` lacks. The rule: a step treats something when it
 * changes its target (a diagnostic informs and treats nothing); it treats something new when the
 * first plan has no step of the same action on the same target. So a plan on the same target
 * whose changing steps are a subset (by action and target) of the first plan's treats nothing
 * new, whatever its parameters or diagnostics; a changing step on another service always is new.
 */
export function newTreatments(
  first: readonly Treatment[],
  follow: readonly Treatment[],
): Treatment[] {
  const key = (s: Treatment) => `${s.action} ${s.target}`;
  const done = new Set(first.map(key));
  const fresh = new Map<string, Treatment>();
  for (const step of follow)
    if (changesTarget(step.action) && !done.has(key(step)))
      fresh.set(key(step), { action: step.action, target: step.target });
  return [...fresh.values()];
}

/** How the first plan ended: worked (completed) or not, and the executor's cause. */
export interface FirstPlanEnd {
  worked: boolean;
  cause: string;
}

export interface FollowUpInput {
  /** The known-good plan that went first. */
  first: { planId: string; steps: readonly Treatment[] };
  /** The model's draft, or why there is none (it failed, or only fell back to the runbook). */
  offer: { draft: PlanDraft } | { none: string };
  /** Undefined while the first plan is out. */
  end?: FirstPlanEnd;
  incidentOpen: boolean;
  /** The leader of the incident's newest ranking, if one is known. */
  leader?: string;
}

export type FollowUpVerdict =
  | { next: 'publish'; draft: PlanDraft; reason: string }
  | { next: 'hold'; reason: string }
  | { next: 'drop'; reason: string };

/** Ends of the first plan after which a second look is wanted: it failed on its own. */
const failedOnItsOwn = new Set(['failed', 'stuck']);

/**
 * What becomes of the model's draft that follows a known-good plan. Dropped when it treats nothing
 * new. Otherwise held while the first plan is out: the executor runs every plan it is sent, and
 * two plans of one incident on one target at once collide in its guardrails (one live step per
 * target, rate limits and blast radius count both plans' steps), so the second would be denied,
 * or both would change the service at once and neither's verification would tell which worked;
 * an approver would also be asked about both. Once the first ended, it goes out only when the
 * first failed on its own (failed or stuck) and the incident is open, still led by the target: a
 * plan that completed healed what it treated, and a denial, rejection, cancellation or expiry is
 * the guardrails or a person deciding, which stands (as for the known-good retry).
 */
export function followUpVerdict(input: FollowUpInput): FollowUpVerdict {
  const { first, offer, end } = input;
  if ('none' in offer) return { next: 'drop', reason: offer.none };
  const fresh = newTreatments(first.steps, offer.draft.steps);
  if (fresh.length === 0)
    return {
      next: 'drop',
      reason: `the model's plan treats nothing ${first.planId} did not (same actions on the same targets)`,
    };
  const tries = fresh.map((s) => `${s.action} ${s.target}`).join(', ');
  if (!end) return { next: 'hold', reason: `it tries ${tries}; held until ${first.planId} ends` };
  if (end.worked) return { next: 'drop', reason: `${first.planId} completed: no second plan` };
  if (!failedOnItsOwn.has(end.cause))
    return { next: 'drop', reason: `${first.planId} was ${end.cause}: that decision stands` };
  if (!input.incidentOpen)
    return { next: 'drop', reason: `the incident is not open here: nothing to follow up` };
  if (input.leader !== undefined && input.leader !== offer.draft.target)
    return {
      next: 'drop',
      reason: `the diagnosis changed meanwhile: ${input.leader} leads, not ${offer.draft.target}`,
    };
  return {
    next: 'publish',
    draft: offer.draft,
    reason: `${first.planId} ${end.cause}; the model's plan tries ${tries}`,
  };
}
