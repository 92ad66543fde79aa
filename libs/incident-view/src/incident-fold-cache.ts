import type { IncidentBoard } from './incident-board';
import {
  applyRecord,
  comparePlaces,
  historyBoard,
  historyDocument,
  isResolveRecord,
  lastResolve,
  placeOf,
  replayHistory,
  type IncidentHistoryDocument,
  type ReplayPlace,
  type StoredRecord,
} from './incident-history';

interface CachedFold {
  board: IncidentBoard;
  /** The keys of every record folded: the store holds these, and the fold is theirs. */
  keys: Set<string>;
  /** The latest place folded: a record before it would change the order, and so the fold. */
  last: ReplayPlace;
  lastResolveAt?: string;
}

/** What `advance` found: the new fold, nothing new, or that only a fold of every record will do. */
export type FoldStep = IncidentHistoryDocument | 'unchanged' | undefined;

/**
 * The folds of the incidents written lately. Re-folding an incident from all its stored records
 * at each new one costs the square of its length: a storm's incident has thousands of records,
 * and the store's writer read megabytes for each. With the fold kept, the next record is applied
 * to it, which gives the same fold as a replay of them all, as long as the store holds exactly
 * the records folded plus the new one (no other writer added one meanwhile) and the new one comes
 * no earlier than those folded. `advance` checks both and answers undefined otherwise: the caller
 * then folds everything with `fold`, as before. Resolved incidents are dropped (they rarely get
 * more), and at most `maxIncidents` are kept, the least recently written dropped first.
 */
export class IncidentFoldCache {
  private readonly folds = new Map<string, CachedFold>();

  constructor(private readonly maxIncidents = 16) {}

  get size(): number {
    return this.folds.size;
  }

  /**
   * Whether `advance` may take the record: the cache holds the incident's fold and the record is
   * folded already or not older than any folded. Asked first, it spares the store a count of the
   * incident's events when only a full fold will do (a record out of order, an incident not kept).
   */
  mayAdvance(incidentId: string, record: StoredRecord): boolean {
    const cached = this.folds.get(incidentId);
    if (!cached) return false;
    return cached.keys.has(record.key) || comparePlaces(placeOf(record), cached.last) >= 0;
  }

  /**
   * The incident's fold with `record` applied, when the cache holds its fold of the other
   * `stored - 1` records the store has; 'unchanged' when the record was folded already and the
   * store has nothing more; else undefined.
   */
  advance(incidentId: string, record: StoredRecord, stored: number): FoldStep {
    const cached = this.folds.get(incidentId);
    if (!cached) return undefined;
    if (cached.keys.has(record.key)) {
      if (stored === cached.keys.size) return 'unchanged';
      return this.dropped(incidentId);
    }
    const place = placeOf(record);
    if (stored !== cached.keys.size + 1 || comparePlaces(place, cached.last) < 0)
      return this.dropped(incidentId);
    applyRecord(cached.board, record);
    cached.keys.add(record.key);
    cached.last = place;
    if (isResolveRecord(record)) cached.lastResolveAt = record.at;
    return this.kept(incidentId, cached);
  }

  /** Folds every stored record of the incident and keeps the fold for the next record. */
  fold(incidentId: string, records: readonly StoredRecord[]): IncidentHistoryDocument | undefined {
    this.folds.delete(incidentId);
    const board = historyBoard();
    const ordered = replayHistory(board, records);
    const last = ordered.at(-1);
    if (!last) return undefined;
    const lastResolveAt = lastResolve(ordered);
    const cached: CachedFold = {
      board,
      keys: new Set(records.map((r) => r.key)),
      last: placeOf(last),
      ...(lastResolveAt && { lastResolveAt }),
    };
    return this.kept(incidentId, cached);
  }

  /** Forgets the incident's fold: its save failed, so the store may not hold what it says. */
  forget(incidentId: string): void {
    this.folds.delete(incidentId);
  }

  private dropped(incidentId: string): undefined {
    this.folds.delete(incidentId);
    return undefined;
  }

  private kept(incidentId: string, cached: CachedFold): IncidentHistoryDocument | undefined {
    const view = cached.board.get(incidentId);
    this.folds.delete(incidentId);
    if (!view) return undefined;
    if (view.status !== 'resolved') {
      this.folds.set(incidentId, cached);
      const oldest = this.folds.keys().next();
      if (this.folds.size > this.maxIncidents && !oldest.done) this.folds.delete(oldest.value);
    }
    return historyDocument(incidentId, view, cached.lastResolveAt);
  }
}
