import type { StoredIncident } from '@vigil/contracts';
import { reportTime } from '@vigil/incident-view';
import { authorize } from './slack-decisions';
import { plain } from './slack-text';
import type { CommandAnswer, CommandContext } from './vigil-command-answers';

/** Incidents on one page of `/vigil history`. */
export const HISTORY_PAGE_SIZE = 10;

const SEVERITIES: readonly string[] = ['critical', 'error', 'warning', 'info'];
const STATUSES: readonly string[] = ['open', 'acknowledged', 'resolved'];
// the console's history API takes offsets up to 100,000: the same depth here
const MAX_PAGE = 10_000;
const MAX_WORDS_LENGTH = 200;
const SHOWN_SERVICES = 3;
const SHOWN_TITLE = 150;

const usage =
  'Write it as /vigil history WORDS service=NAME severity=critical|error|warning|info status=open|acknowledged|resolved since=7d|24h|2026-11-01 page=N (all optional)';

/** What `/vigil history` asks the incident store for, as typed and as the store takes it. */
export interface HistoryRequest {
  /** Words that must all appear in the title or the alerts' names and summaries. */
  words?: string;
  service?: string;
  severity?: string[];
  status?: string[];
  /** Incidents changed at or after: as typed (for the next page's command) and in epoch ms. */
  since?: { text: string; ms: number };
  /** From 1. */
  page: number;
}

/** What the store's `list` takes (libs/graph `IncidentHistoryQuery`; a domain lib cannot import it). */
export interface HistoryStoreQuery {
  q?: string;
  service?: string;
  severity?: string[];
  status?: string[];
  since?: number;
  limit: number;
  offset: number;
}

/** One incident as the store's list gives it (libs/graph `IncidentHistoryRow`). */
export type HistoryRow = Pick<
  StoredIncident,
  'id' | 'title' | 'severity' | 'status' | 'services' | 'openedAt'
>;

/** A page of the store's list; `nextOffset` is set when more follow. */
export interface HistoryPage {
  incidents: readonly HistoryRow[];
  nextOffset?: number;
}

/** The reply when the store cannot be read: what `answerHistory` leaves in `text`. */
export const HISTORY_UNREADABLE =
  'Vigil could not read the incident store just now; please try again.';

/**
 * `/vigil history …` from anyone who may view: a request for the store, or a reply saying what
 * is wrong with the command. The app reads the store and answers with `historyText`.
 */
export function answerHistory(text: string, ctx: CommandContext): CommandAnswer {
  const allowed = authorize(ctx.roles, ctx.user, 'view');
  if (!allowed.ok) return { text: allowed.reason };
  const parsed = parseHistoryCommand(text, Date.parse(ctx.at));
  if ('error' in parsed) return { text: `${plain(parsed.error)}\n${usage}` };
  return { text: HISTORY_UNREADABLE, history: parsed };
}

type Parsed = HistoryRequest | { error: string };
type Filter = Exclude<keyof HistoryRequest, 'words'>;

/** The words and `key=value` filters after `/vigil history`; `now` (epoch ms) anchors `since=7d`. */
export function parseHistoryCommand(text: string, now: number): Parsed {
  const request: HistoryRequest = { page: 1 };
  const seen = new Set<string>();
  const words: string[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      words.push(token);
      continue;
    }
    const key = token.slice(0, eq).toLowerCase();
    if (seen.has(key)) return { error: `${key}= is given twice` };
    seen.add(key);
    const error = applyFilter(request, key, token.slice(eq + 1), now);
    if (error) return { error };
  }
  return withWords(request, words);
}

function applyFilter(
  request: HistoryRequest,
  key: string,
  value: string,
  now: number,
): string | undefined {
  if (!isFilter(key))
    return `unknown filter "${key}": use service=, severity=, status=, since= or page=`;
  if (!value) return `${key}= needs a value`;
  switch (key) {
    case 'service':
      request.service = value;
      return undefined;
    case 'severity':
      return setList(request, 'severity', value, SEVERITIES);
    case 'status':
      return setList(request, 'status', value, STATUSES);
    case 'since':
      return setSince(request, value, now);
    case 'page':
      return setPage(request, value);
  }
}

function isFilter(key: string): key is Filter {
  return ['service', 'severity', 'status', 'since', 'page'].includes(key);
}

/** One value or several with commas (`status=open,acknowledged`), each one of `allowed`. */
function setList(
  request: HistoryRequest,
  key: 'severity' | 'status',
  value: string,
  allowed: readonly string[],
): string | undefined {
  const items = value.toLowerCase().split(',').filter(Boolean);
  const bad = items.find((item) => !allowed.includes(item));
  if (bad !== undefined || items.length === 0)
    return `bad ${key} "${bad ?? value}": use ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
  request[key] = [...new Set(items)];
  return undefined;
}

function setSince(request: HistoryRequest, value: string, now: number): string | undefined {
  const ms = sinceMs(value, now);
  if (ms === undefined)
    return `bad since "${value}": write a while ago (24h, 7d) or a date (2026-11-01)`;
  request.since = { text: value, ms };
  return undefined;
}

/** A while ago (90s, 15m, 24h, 7d), a day (2026-11-01, from its start in UTC) or an ISO time. */
function sinceMs(value: string, now: number): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return reportTime(value, now);
  const ms = Date.parse(`${value}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over into March: only a real day comes back unchanged
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value) ? ms : undefined;
}

function setPage(request: HistoryRequest, value: string): string | undefined {
  const page = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(page >= 1 && page <= MAX_PAGE))
    return `bad page "${value}": a whole number from 1 to ${MAX_PAGE}`;
  request.page = page;
  return undefined;
}

function withWords(request: HistoryRequest, words: string[]): Parsed {
  if (words.length === 0) return request;
  // the full-text search skips words without a letter or digit (libs/graph `fullTextQuery`)
  const searchable = words.filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (searchable.length === 0)
    return { error: `nothing to search for in "${words.join(' ')}": give words with letters` };
  // lower case: the full-text index ignores case, but reads AND, OR and NOT as operators
  const text = searchable.join(' ').toLowerCase();
  if (text.length > MAX_WORDS_LENGTH)
    return { error: `the words are too long: at most ${MAX_WORDS_LENGTH} characters` };
  return { ...request, words: text };
}

/** What the store's `list` is asked for this request. */
export function historyStoreQuery(request: HistoryRequest): HistoryStoreQuery {
  return {
    ...(request.words !== undefined && { q: request.words }),
    ...(request.service !== undefined && { service: request.service }),
    ...(request.severity && { severity: request.severity }),
    ...(request.status && { status: request.status }),
    ...(request.since && { since: request.since.ms }),
    limit: HISTORY_PAGE_SIZE,
    offset: (request.page - 1) * HISTORY_PAGE_SIZE,
  };
}

/** The words and filters of a request as typed, without the page. */
function historyArgs(request: HistoryRequest): string[] {
  const args: string[] = [];
  if (request.words) args.push(request.words);
  if (request.service) args.push(`service=${request.service}`);
  if (request.severity) args.push(`severity=${request.severity.join(',')}`);
  if (request.status) args.push(`status=${request.status.join(',')}`);
  if (request.since) args.push(`since=${request.since.text}`);
  return args;
}

/** The command that asks for this request again, at another page. */
export function historyCommand(request: HistoryRequest, page: number): string {
  return ['/vigil history', ...historyArgs(request), `page=${page}`].join(' ');
}

/**
 * The reply: one page of incidents, newest first (with words the store hands the best matches
 * first, page by page; within a page people scan by time), and how to get the next page.
 */
export function historyText(request: HistoryRequest, page: HistoryPage): string {
  const n = request.page;
  if (page.incidents.length === 0) return nothingText(request);
  const rows = [...page.incidents].sort(
    (a, b) => Date.parse(b.openedAt) - Date.parse(a.openedAt) || a.id.localeCompare(b.id),
  );
  const last =
    page.nextOffset === undefined
      ? `page ${n} of ${n}`
      : `page ${n}; more: ${plain(historyCommand(request, n + 1))}`;
  return [...rows.map(historyLine), last].join('\n');
}

function nothingText(request: HistoryRequest): string {
  if (request.page > 1)
    return `Nothing on page ${request.page}: the incidents found end before it; ${plain(historyCommand(request, 1))} starts again.`;
  const args = historyArgs(request).join(' ');
  return args ? `Nothing found for ${plain(args)}.` : 'Nothing found: the incident store is empty.';
}

function historyLine(row: HistoryRow): string {
  const services = row.services.slice(0, SHOWN_SERVICES).map(plain).join(', ');
  const more =
    row.services.length > SHOWN_SERVICES ? ` +${row.services.length - SHOWN_SERVICES}` : '';
  const title =
    row.title.length > SHOWN_TITLE ? `${row.title.slice(0, SHOWN_TITLE - 1)}…` : row.title;
  return [
    `• \`${plain(row.id)}\` ${plain(row.status)} [${plain(row.severity)}] ${plain(title)}`,
    `${services || 'no service'}${more}`,
    `opened ${openedText(row.openedAt)}`,
  ].join(' · ');
}

/** `2026-11-27 10:00 UTC`: to the minute, the zone said, the same for everyone in the channel. */
function openedText(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return plain(iso);
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
