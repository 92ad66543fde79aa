// The incident list's rows: merging a fetched answer with what streamed in meanwhile, and the
// small derivations the table and its header show. Pure: no DOM, so jest checks it.
import { applyStreamedIncident, sortIncidents, type IncidentFilters } from './filters';
import type { IncidentListItem } from './types';

/**
 * The rows of an answer to GET /api/v1/incidents, with the rows streamed while it was in flight
 * applied on top (the answer may be older than them); a row the answer already has in a newer
 * version is kept as the answer has it.
 */
export function rowsFromAnswer(
  answer: { incidents?: unknown } | undefined,
  streamedMeanwhile: Iterable<IncidentListItem>,
  filters: IncidentFilters,
  now: number,
): IncidentListItem[] {
  const incidents = Array.isArray(answer?.incidents)
    ? (answer.incidents as IncidentListItem[])
    : [];
  let list = sortIncidents(incidents);
  for (const item of streamedMeanwhile) {
    const known = list.find((i) => i.incidentId === item.incidentId);
    if (known && Date.parse(known.updatedAt) > Date.parse(item.updatedAt)) continue;
    list = applyStreamedIncident(list, item, filters, now).list;
  }
  return list;
}

/** Every service of the rows, once each, sorted (the service filter's suggestions). */
export function knownServices(rows: readonly IncidentListItem[] | null): string[] {
  return [...new Set((rows ?? []).flatMap((r) => r.services))].sort();
}

/** "3 incidents · refreshing…"; nothing before the first answer. */
export function incidentCountText(rows: readonly unknown[] | null, loading: boolean): string {
  if (!rows) return '';
  const count = `${rows.length} incident${rows.length === 1 ? '' : 's'}`;
  return loading ? `${count} · refreshing…` : count;
}

/** The first `max` services to show as tags, and the rest (shown as "+n"). */
export function splitServices(
  services: readonly string[],
  max = 4,
): { shown: string[]; hidden: string[] } {
  return { shown: services.slice(0, max), hidden: services.slice(max) };
}

/** A row's classes: it flashes just after a change, and a resolved incident is dimmed. */
export function incidentRowClass(row: Pick<IncidentListItem, 'status'>, flashing: boolean): string {
  return `incident-row clickable${flashing ? ' flash' : ''}${row.status === 'resolved' ? ' dim' : ''}`;
}

export function emptyListText(filtered: boolean): string {
  return filtered ? 'No incidents match these filters.' : 'No incidents. All quiet.';
}
