// The incident list's filters: how they live in the page URL, how they are sent to
// GET /api/v1/incidents, and whether a row that arrives over the stream belongs in the list.
// Pure: no DOM, so the root tsconfig and jest check it too.
import type { HumanStatus, IncidentListItem, Severity } from './types';
import { SEVERITIES, STATUSES } from './types';

export type RangePreset = '1h' | '24h' | '7d';

export const RANGE_PRESETS: ReadonlyArray<{ value: RangePreset; label: string; ms: number }> = [
  { value: '1h', label: 'Last 1 hour', ms: 60 * 60 * 1000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 60 * 60 * 1000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 60 * 60 * 1000 },
];

export interface IncidentFilters {
  /** Empty: every status. */
  status: HumanStatus[];
  /** Empty: every severity. */
  severity: Severity[];
  /** An incident with this service (exact name, as the server matches it); '' for any. */
  service: string;
  /** Free text: every word must appear somewhere in the incident. */
  q: string;
  /** A window relative to now; when set, since/until are ignored. */
  range: RangePreset | '';
  /** ISO times of a fixed window ('' when open-ended). */
  since: string;
  until: string;
}

export function emptyFilters(): IncidentFilters {
  return { status: [], severity: [], service: '', q: '', range: '', since: '', until: '' };
}

export function hasActiveFilters(f: IncidentFilters): boolean {
  return (
    f.status.length > 0 ||
    f.severity.length > 0 ||
    f.service.trim() !== '' ||
    f.q.trim() !== '' ||
    f.range !== '' ||
    f.since !== '' ||
    f.until !== ''
  );
}

/** Keeps known values only, once each, in their canonical order. */
function pick<T extends string>(known: readonly T[], raw: string | null): T[] {
  if (!raw) return [];
  const wanted = new Set(raw.split(',').map((s) => s.trim()));
  return known.filter((k) => wanted.has(k));
}

function validIso(raw: string | null): string {
  if (!raw) return '';
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

/** Reads the filters from a page's query string (`?status=open,acknowledged&range=24h`). */
export function parseFilters(search: string): IncidentFilters {
  const params = new URLSearchParams(search);
  const rawRange = params.get('range');
  const range = RANGE_PRESETS.find((p) => p.value === rawRange)?.value ?? '';
  return {
    status: pick(STATUSES, params.get('status')),
    severity: pick(SEVERITIES, params.get('severity')),
    service: (params.get('service') ?? '').trim(),
    q: params.get('q') ?? '',
    range,
    since: range ? '' : validIso(params.get('since')),
    until: range ? '' : validIso(params.get('until')),
  };
}

/** The page's query string for these filters: '' when nothing is filtered, else `?…`. */
export function filtersToSearch(f: IncidentFilters): string {
  const params = new URLSearchParams();
  if (f.status.length) params.set('status', f.status.join(','));
  if (f.severity.length) params.set('severity', f.severity.join(','));
  if (f.service.trim()) params.set('service', f.service.trim());
  if (f.q.trim()) params.set('q', f.q.trim());
  if (f.range) params.set('range', f.range);
  else {
    if (f.since) params.set('since', f.since);
    if (f.until) params.set('until', f.until);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The time window in epoch ms; a preset counts back from `now`. */
export function timeWindow(f: IncidentFilters, now: number): { since?: number; until?: number } {
  if (f.range) {
    const preset = RANGE_PRESETS.find((p) => p.value === f.range);
    return preset ? { since: now - preset.ms } : {};
  }
  const since = f.since ? Date.parse(f.since) : NaN;
  const until = f.until ? Date.parse(f.until) : NaN;
  return {
    ...(Number.isNaN(since) ? {} : { since }),
    ...(Number.isNaN(until) ? {} : { until }),
  };
}

/** The query for GET /api/v1/incidents ('' or `?…`). */
export function filtersToApiQuery(f: IncidentFilters, now: number): string {
  const params = new URLSearchParams();
  if (f.status.length) params.set('status', f.status.join(','));
  if (f.severity.length) params.set('severity', f.severity.join(','));
  if (f.service.trim()) params.set('service', f.service.trim());
  const { since, until } = timeWindow(f, now);
  if (since !== undefined) params.set('since', new Date(since).toISOString());
  if (until !== undefined) params.set('until', new Date(until).toISOString());
  if (f.q.trim()) params.set('q', f.q.trim());
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Does a row (from the stream) belong in the list the server would give for these filters?
 * 'maybe' when everything matches but some search words are not in the row: the server also
 * searches the incident's alert names and summaries, which a list row does not carry.
 * Time semantics follow the server: `since` = updated at or after, `until` = opened at or before.
 */
export function matchIncident(
  item: IncidentListItem,
  f: IncidentFilters,
  now: number,
): 'match' | 'no-match' | 'maybe' {
  if (f.status.length && !f.status.includes(item.status)) return 'no-match';
  if (f.severity.length && !f.severity.includes(item.severity)) return 'no-match';
  const service = f.service.trim();
  if (service && !item.services.includes(service)) return 'no-match';
  const { since, until } = timeWindow(f, now);
  if (since !== undefined && Date.parse(item.updatedAt) < since) return 'no-match';
  if (until !== undefined && Date.parse(item.openedAt) > until) return 'no-match';
  const words = f.q.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length) {
    const haystack = [item.title, item.incidentId, ...item.services, item.rootCause?.service ?? '']
      .join(' ')
      .toLowerCase();
    if (!words.every((w) => haystack.includes(w))) return 'maybe';
  }
  return 'match';
}

/** True only when the row certainly matches (see matchIncident for the uncertain case). */
export function matchesFilters(item: IncidentListItem, f: IncidentFilters, now: number): boolean {
  return matchIncident(item, f, now) === 'match';
}

/** Newest update first; ties by id so the order never flickers. */
export function sortIncidents(list: readonly IncidentListItem[]): IncidentListItem[] {
  return [...list].sort(
    (a, b) =>
      Date.parse(b.updatedAt) - Date.parse(a.updatedAt) ||
      (a.incidentId < b.incidentId ? -1 : a.incidentId > b.incidentId ? 1 : 0),
  );
}

/** Replaces the incident's row (or adds it) and keeps the list sorted. */
export function upsertIncident(
  list: readonly IncidentListItem[],
  item: IncidentListItem,
): IncidentListItem[] {
  return sortIncidents([...list.filter((i) => i.incidentId !== item.incidentId), item]);
}

export function removeIncident(
  list: readonly IncidentListItem[],
  incidentId: string,
): IncidentListItem[] {
  return list.filter((i) => i.incidentId !== incidentId);
}

/**
 * What to do with a row that arrived over the stream: put it in the list, take it out, or ask
 * the server again (an unknown row that may match the search through its alerts).
 */
export function applyStreamedIncident(
  list: readonly IncidentListItem[],
  item: IncidentListItem,
  f: IncidentFilters,
  now: number,
): { list: IncidentListItem[]; refetch: boolean; changed: boolean } {
  const present = list.some((i) => i.incidentId === item.incidentId);
  const match = matchIncident(item, f, now);
  // a row the server listed for this search keeps its place while it still matches otherwise
  if (match === 'match' || (match === 'maybe' && present))
    return { list: upsertIncident(list, item), refetch: false, changed: true };
  if (match === 'maybe') return { list: [...list], refetch: true, changed: false };
  return { list: removeIncident(list, item.incidentId), refetch: false, changed: false };
}
