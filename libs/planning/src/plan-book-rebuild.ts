import type { FaultClass } from '@vigil/action-catalog';
import type { RemediationExecution, RemediationPlan } from '@vigil/contracts';
import { planIdFor, type PlanNumber } from './plan-draft';

/** How many reopenings between two plans of an incident are looked for when a plan id is read. */
const EPISODE_GAP = 256;

/** A plan read back from the plans topic, with what its id says it was. */
export interface PublishedPlan {
  plan: RemediationPlan;
  /** The diagnosed service it treats. */
  target: string;
  /** Its number, read from its id; a plan whose id does not decode counts as the next attempt. */
  number: PlanNumber;
  /** When it went out (its createdAt, ms). */
  publishedAt: number;
  /** How the executor ended it, if it did. */
  end?: { worked: boolean; at: number; cause: string };
}

/** What the planner knew of one incident when it stopped, as its plans and their ends tell. */
export interface RestoredIncident {
  incidentId: string;
  /** Its latest episode and the plans published in it (the attempt of its latest plan). */
  episode: number;
  publishedInEpisode: number;
  /** Every plan of the incident, in the order they went out. */
  plans: PublishedPlan[];
  /** The last time a plan went out or ended (ms). */
  heardAt: number;
}

/**
 * The plan book's state from the plans and executions topics, read from the start, for a
 * restart: which plans are out, how many each incident had in its episode, and when each ended
 * (the cool-downs). A pure fold: the same records give the same state, and a record delivered
 * twice counts once. Plans are numbered by decoding their ids (planIdFor), so a plan drafted
 * again after the restart gets the id it would have had, and one for a later episode never
 * reuses an earlier one's.
 */
export function restoreIncidents(
  plans: readonly RemediationPlan[],
  executions: readonly RemediationExecution[],
): RestoredIncident[] {
  const ends = planEnds(executions);
  const incidents = new Map<string, RestoredIncident>();
  const seen = new Set<string>();
  for (const plan of plans) {
    if (seen.has(plan.planId)) continue;
    seen.add(plan.planId);
    const known = incidents.get(plan.incidentId);
    const last = known?.plans.at(-1)?.number;
    const { target, number } = decodePlan(plan, last);
    const publishedAt = Date.parse(plan.createdAt);
    const end = ends.get(plan.planId);
    const published: PublishedPlan = { plan, target, number, publishedAt, ...(end && { end }) };
    const record = known ?? {
      incidentId: plan.incidentId,
      episode: 0,
      publishedInEpisode: 0,
      plans: [],
      heardAt: publishedAt,
    };
    record.plans.push(published);
    if (number.episode > record.episode || record.plans.length === 1) {
      record.episode = number.episode;
      record.publishedInEpisode = 0;
    }
    if (number.episode === record.episode)
      record.publishedInEpisode = Math.max(record.publishedInEpisode, number.attempt);
    record.heardAt = Math.max(record.heardAt, publishedAt, end?.at ?? -Infinity);
    incidents.set(plan.incidentId, record);
  }
  return [...incidents.values()];
}

function planEnds(
  executions: readonly RemediationExecution[],
): Map<string, { worked: boolean; at: number; cause: string }> {
  const ends = new Map<string, { worked: boolean; at: number; cause: string }>();
  for (const event of executions) {
    if (event.type !== 'plan-completed' && event.type !== 'plan-aborted') continue;
    if (ends.has(event.planId)) continue;
    ends.set(event.planId, {
      worked: event.type === 'plan-completed',
      at: Date.parse(event.at),
      cause: String(event.detail['cause'] ?? ''),
    });
  }
  return ends;
}

/**
 * The target and number a plan id was made from: the next attempt of the incident's last plan,
 * or the first of a later episode (plans of an incident go out in order). A plan from before ids
 * were numbered counts as the next attempt, on its first step's target.
 */
export function decodePlan(
  plan: Pick<RemediationPlan, 'planId' | 'incidentId' | 'steps'>,
  last: PlanNumber | undefined,
): { target: string; number: PlanNumber } {
  const targets = [...new Set(plan.steps.map((s) => s.target))];
  const from = last ?? { episode: 0, attempt: 0 };
  const numbers: PlanNumber[] = [{ episode: from.episode, attempt: from.attempt + 1 }];
  for (let episode = from.episode + 1; episode <= from.episode + EPISODE_GAP; episode++)
    numbers.push({ episode, attempt: 1 });
  for (const number of numbers)
    for (const target of targets)
      if (planIdFor(plan.incidentId, target, number) === plan.planId) return { target, number };
  return { target: targets[0] ?? '', number: numbers[0] };
}

/** The replicas a plan's draft saw, as far as its steps tell (a scale asks for one more). */
export function replicasOf(plan: Pick<RemediationPlan, 'steps'>): number {
  const scale = plan.steps.find((s) => s.action === 'scale');
  const wanted = Number(scale?.params['replicas']);
  return Number.isFinite(wanted) && wanted > 1 ? wanted - 1 : 1;
}

export const faultClassOf = (plan: Pick<RemediationPlan, 'faultClass'>): FaultClass =>
  plan.faultClass as FaultClass;
