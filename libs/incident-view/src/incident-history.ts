import type { z } from 'zod';
import {
  Topics,
  type IncidentAction,
  type IncidentEvent,
  type RcaResult,
  type RemediationDecision,
  type RemediationExecution,
  type RemediationPlan,
  type StoredIncident,
  type TopicDefinition,
} from '@vigil/contracts';
import { IncidentBoard } from './incident-board';
import { reportFactsOf } from './incident-report';
import type { IncidentView } from './incident-view.types';

export type HistoryKind = 'incident' | 'rca' | 'plan' | 'decision' | 'execution' | 'action';

/**
 * One event as the incident store keeps it: a stable key (so a redelivery or a replay is one
 * record), the event time, whose it is and the event itself as JSON. Decisions name only their
 * plan, so they carry no incident id: the store finds their incident through the plan, whenever
 * that arrives.
 */
export interface HistoryRecord {
  key: string;
  kind: HistoryKind;
  incidentId?: string;
  planId?: string;
  at: string;
  payload: string;
}

/** A record as read back from the store, which does not know the kinds. */
export type StoredRecord = Omit<HistoryRecord, 'kind'> & { kind: string };

/** An incident as the store indexes it, with this lib's own status and severity. */
export interface IncidentHistoryDocument extends StoredIncident {
  severity: IncidentView['severity'];
  status: IncidentView['status'];
  /** What reports read of it (`ReportFacts` as JSON): months of reports without the views. */
  reportFacts: string;
}

export function incidentRecord(event: IncidentEvent): HistoryRecord {
  return record('incident', `incident:${event.eventId}`, event.at, event, event.incidentId);
}

// A later revision supersedes an earlier one, so each revision is its own record.
export function rcaRecord(result: RcaResult): HistoryRecord {
  const key = `rca:${result.incidentId}:${result.revision}`;
  return record('rca', key, result.generatedAt, result, result.incidentId);
}

export function planRecord(plan: RemediationPlan): HistoryRecord {
  return record('plan', `plan:${plan.planId}`, plan.createdAt, plan, plan.incidentId, plan.planId);
}

export function decisionRecord(decision: RemediationDecision): HistoryRecord {
  const key = `decision:${decision.decisionId}`;
  return record('decision', key, decision.at, decision, undefined, decision.planId);
}

export function executionRecord(event: RemediationExecution): HistoryRecord {
  const key = `execution:${event.eventId}`;
  return record('execution', key, event.at, event, event.incidentId, event.planId);
}

export function actionRecord(action: IncidentAction): HistoryRecord {
  return record('action', `action:${action.actionId}`, action.at, action, action.incidentId);
}

function record(
  kind: HistoryKind,
  key: string,
  at: string,
  event: object,
  incidentId?: string,
  planId?: string,
): HistoryRecord {
  return {
    key,
    kind,
    at,
    payload: JSON.stringify(event),
    ...(incidentId !== undefined && { incidentId }),
    ...(planId !== undefined && { planId }),
  };
}

/** How a reader turns one topic into whatever its consumer takes. */
export type HistoryFeed<R> = <S extends z.ZodType>(
  topic: TopicDefinition<S>,
  toRecord: (event: z.output<S>) => HistoryRecord,
) => R;

/** Every topic the store is written from, each with its record: the writer and the rebuild share it. */
export function historyFeeds<R>(feed: HistoryFeed<R>): R[] {
  return [
    feed(Topics.incidents, incidentRecord),
    feed(Topics.rca, rcaRecord),
    feed(Topics.remediationPlans, planRecord),
    feed(Topics.remediationDecisions, decisionRecord),
    feed(Topics.remediationExecutions, executionRecord),
    feed(Topics.incidentActions, actionRecord),
  ];
}

/**
 * One incident's stored records folded into what the store indexes, or undefined while the
 * incident itself is unknown (its rca or actions came first). The records are applied in event
 * time order, whatever order they were stored in, so an older event never overwrites what a newer
 * one said; the live board's fold is reused, so the store and the console read the same.
 */
export function foldIncidentHistory(
  incidentId: string,
  records: readonly StoredRecord[],
): IncidentHistoryDocument | undefined {
  const board = historyBoard();
  const ordered = replayHistory(board, records);
  const view = board.get(incidentId);
  if (!view) return undefined;
  return historyDocument(incidentId, view, lastResolve(ordered));
}

/** The board one incident's history is folded on (the fold and its cache make it alike). */
export function historyBoard(): IncidentBoard {
  return new IncidentBoard({ maxIncidents: 1, maxTimeline: 2_000 });
}

/**
 * What the store indexes of a folded view. `lastResolveAt`: the time of the latest resolve the
 * correlator sent, the end of an incident people did not resolve themselves.
 */
export function historyDocument(
  incidentId: string,
  view: IncidentView,
  lastResolveAt: string | undefined,
): IncidentHistoryDocument {
  const resolvedAt =
    view.status === 'resolved'
      ? (view.resolvedBy?.at ?? lastResolveAt ?? view.updatedAt)
      : undefined;
  return {
    id: incidentId,
    title: view.title,
    severity: view.severity,
    status: view.status,
    services: view.services,
    alertCount: view.alertCount,
    openedAt: view.openedAt,
    updatedAt: view.updatedAt,
    ...(resolvedAt && { resolvedAt }),
    fingerprints: view.alerts.map((a) => a.fingerprint),
    alertText: view.alerts
      .map((a) => [a.alert?.alertname, a.alert?.summary].filter(Boolean).join(' '))
      .filter(Boolean)
      .join('\n'),
    ...(view.rootCause && { rootCause: view.rootCause.service }),
    ...(view.planState && { planState: view.planState }),
    view: JSON.stringify(view),
    reportFacts: JSON.stringify(reportFactsOf({ view, ...(resolvedAt && { resolvedAt }) })),
  };
}

/**
 * Stored records applied to a board in event time order (the console starts its board from the
 * store this way); returns them in that order.
 */
export function replayHistory(
  board: IncidentBoard,
  records: readonly StoredRecord[],
): StoredRecord[] {
  // each time read once: a board's start sorts tens of thousands of records
  const ordered = records
    .map((r) => ({ r, place: placeOf(r) }))
    .sort((a, b) => comparePlaces(a.place, b.place))
    .map(({ r }) => r);
  for (const r of ordered) applyRecord(board, r);
  return ordered;
}

/**
 * How each kind is applied to a board, in the order records of the same instant are applied:
 * plans before what was decided and done about them.
 */
const appliers = new Map<string, (board: IncidentBoard, event: unknown) => void>([
  ['incident', (board, event) => board.applyIncidentEvent(event as IncidentEvent)],
  ['rca', (board, event) => board.applyRca(event as RcaResult)],
  ['plan', (board, event) => board.applyPlan(event as RemediationPlan)],
  ['decision', (board, event) => board.applyDecision(event as RemediationDecision)],
  ['execution', (board, event) => board.applyExecution(event as RemediationExecution)],
  ['action', (board, event) => board.applyAction(event as IncidentAction)],
]);
const order = [...appliers.keys()];
function kindOrder(r: StoredRecord): number {
  const index = order.indexOf(r.kind);
  return index < 0 ? 9 : index;
}

/** Where a record goes in a replay: by event time, then by kind (see `appliers`). */
export interface ReplayPlace {
  ms: number;
  kind: number;
}

export function placeOf(r: StoredRecord): ReplayPlace {
  return { ms: Date.parse(r.at), kind: kindOrder(r) };
}

export function comparePlaces(a: ReplayPlace, b: ReplayPlace): number {
  return a.ms - b.ms || a.kind - b.kind;
}

// A kind this fold does not know (written by a newer writer) is left for that writer's fold.
export function applyRecord(board: IncidentBoard, r: StoredRecord): void {
  const event: unknown = JSON.parse(r.payload);
  appliers.get(r.kind)?.(board, event);
}

/** Whether the record is the correlator's resolve of its incident. */
export function isResolveRecord(r: StoredRecord): boolean {
  // the text test first: a long incident's every record is looked at, and few are resolves
  return (
    r.kind === 'incident' &&
    r.payload.includes('"type":"resolved"') &&
    (JSON.parse(r.payload) as IncidentEvent).type === 'resolved'
  );
}

/** The time of the latest resolve among records in event time order. */
export function lastResolve(ordered: readonly StoredRecord[]): string | undefined {
  return ordered.filter(isResolveRecord).at(-1)?.at;
}
