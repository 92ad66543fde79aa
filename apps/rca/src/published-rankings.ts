import type { RcaResult } from '@vigil/contracts';
import type { TrackedIncident } from '@vigil/rca';

/** The last ranking published for an incident, and the evidence it was ranked on. */
export interface Published {
  result: RcaResult;
  evidenceVersion: number;
}

/**
 * Forgets the rankings of incidents that will never be ranked again: merged into another,
 * forgotten by the evidence store, or opened longer than `maxAgeMs` ago (only younger incidents
 * are ranked). A resolved incident that may still reopen within its age keeps its entry, so its
 * next ranking takes the next revision (consumers drop a revision they have seen). Returns how
 * many went.
 */
export function forgetPublished(
  published: Map<string, Published>,
  incident: (id: string) => TrackedIncident | undefined,
  now: number,
  maxAgeMs: number,
): number {
  let forgotten = 0;
  for (const id of published.keys()) {
    const tracked = incident(id);
    if (tracked?.id === id && now - tracked.openedAt <= maxAgeMs) continue;
    published.delete(id);
    forgotten++;
  }
  return forgotten;
}
