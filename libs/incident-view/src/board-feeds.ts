import type { z } from 'zod';
import { Topics, type TopicDefinition } from '@vigil/contracts';
import type { IncidentBoard } from './incident-board';
import type { IncidentListItem } from './incident-view.types';

/** How a reader turns one folded topic into whatever its consumer takes. */
export type BoardFeed<R> = <S extends z.ZodType>(
  topic: TopicDefinition<S>,
  apply: (event: z.output<S>) => IncidentListItem | undefined,
) => R;

/**
 * Every topic the board is built from, each with how the board folds it: the console and Slack
 * subscribe through this, so neither can miss one.
 */
export function boardFeeds<R>(board: IncidentBoard, feed: BoardFeed<R>): R[] {
  return [
    feed(Topics.incidents, (e) => board.applyIncidentEvent(e)),
    feed(Topics.rca, (e) => board.applyRca(e)),
    feed(Topics.remediationPlans, (e) => board.applyPlan(e)),
    feed(Topics.remediationDecisions, (e) => board.applyDecision(e)),
    feed(Topics.remediationExecutions, (e) => board.applyExecution(e)),
    feed(Topics.incidentActions, (e) => board.applyAction(e)),
  ];
}
