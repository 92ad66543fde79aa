import type { IncidentStoreRepository } from '@vigil/graph';
import {
  type IncidentView,
  rankSimilarIncidentsWith,
  type SimilarityFacts,
} from '@vigil/incident-view';
import type { PastRunbook } from '@vigil/llm';

/** Past incidents the model is shown at most: small models follow a few examples, not many. */
const EXAMPLES = 3;
/** Candidates embedded at most per draft, in one request to the model gateway. */
const MAX_EMBEDDED = 20;
/**
 * The least likeness of an example: the same root cause, or a shared service with alike alerts.
 * Alike words alone (every checkout incident says "checkout") show the model the wrong story.
 */
const MIN_SCORE = 0.4;

/**
 * What worked on the stored incidents most like this one: the plans that completed, found in the
 * incident store (it outlives the planner and the topics), ranked by the same root cause, alike
 * alerts (by meaning when `embed` answers, else by words) and topology. Best first.
 */
export async function pastRunbooks(
  store: Pick<IncidentStoreRepository, 'candidatesLike' | 'get'>,
  embed: ((texts: string[]) => Promise<number[][] | undefined>) | undefined,
  target: SimilarityFacts,
): Promise<PastRunbook[]> {
  const candidates = await store.candidatesLike(target, { planState: 'completed' });
  const similar = await rankSimilarIncidentsWith(embed, target, candidates, {
    limit: EXAMPLES,
    maxEmbedded: MAX_EMBEDDED,
  });
  const runbooks: PastRunbook[] = [];
  for (const { id } of similar.filter((s) => s.score >= MIN_SCORE)) {
    const stored = await store.get(id);
    const runbook = stored && runbookThatWorked(JSON.parse(stored.view) as IncidentView);
    if (runbook) runbooks.push(runbook);
  }
  return runbooks;
}

/** The last plan of an incident that completed, as an example for the model. */
export function runbookThatWorked(view: IncidentView): PastRunbook | undefined {
  const worked = [...view.plans].reverse().find((p) => p.state === 'completed');
  if (!worked) return undefined;
  return {
    planId: worked.plan.planId,
    summary: `${view.title}: ${worked.plan.summary}`,
    faultClass: worked.plan.faultClass,
    steps: worked.plan.steps.map((s) => `${s.action} ${s.target}`),
    outcome: 'completed',
  };
}
