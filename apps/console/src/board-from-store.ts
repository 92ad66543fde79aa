import { HOUR_MS } from '@vigil/config';
import type { IncidentStoreRepository } from '@vigil/graph';
import { type IncidentBoard, replayHistory } from '@vigil/incident-view';

/** Finished incidents the board starts with: those updated this recently (unfinished ones all). */
export const BOARD_WINDOW_MS = 7 * 24 * HOUR_MS;
/** At most this many incidents at start, the most recently updated: older ones are history. */
export const BOARD_START_LIMIT = 1_000;

/**
 * Folds the store's unfinished and recent incidents into a board, as the console starts (and
 * `npm run bench:history` times it): the work of start-up that grows with history.
 */
export async function loadBoardFromStore(
  store: IncidentStoreRepository,
  board: IncidentBoard,
  now: number,
): Promise<{ incidents: number; events: number }> {
  const events = await store.boardEvents({
    since: now - BOARD_WINDOW_MS,
    limit: BOARD_START_LIMIT,
  });
  replayHistory(board, events);
  return { incidents: board.list().length, events: events.length };
}
