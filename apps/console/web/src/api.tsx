// The console API client: JSON over fetch with the session cookie, the CSRF token on every POST,
// and one place that notices a lost session (401) and sends the user to the login page.
import { errorMessage } from './lib/format';
import type { SilenceRow, WindowRow } from './lib/silences';
import type {
  AuthProviders,
  IncidentAction,
  IncidentFeedback,
  IncidentListItem,
  IncidentReport,
  SimilarIncident,
  IncidentTopology,
  IncidentView,
  Me,
  RemediationDecision,
} from './lib/types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** The text to show for a failed call. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

// Kept in memory only (never in storage): a page reload gets it again from /auth/me.
let csrfToken: string | null = null;
let unauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on any 401 from the API (except where the caller handles it itself). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorized = handler;
}

interface CallOptions {
  signal?: AbortSignal;
  /** false: a 401 is the caller's business (login, the first /me). */
  authRedirect?: boolean;
}

async function call<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(0, 'Cannot reach the console API. Is it running?');
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    const fallback = `${response.status} ${response.statusText || 'request failed'}`.trim();
    if (response.status === 401 && options.authRedirect !== false) unauthorized?.();
    throw new ApiError(response.status, errorMessage(parsed, fallback), parsed);
  }
  return parsed as T;
}

const enc = encodeURIComponent;

export const api = {
  providers: () =>
    call<AuthProviders>('GET', '/api/v1/auth/providers', undefined, { authRedirect: false }),
  login: (username: string, password: string) =>
    call<Me>('POST', '/api/v1/auth/login', { username, password }, { authRedirect: false }),
  me: (options: CallOptions = { authRedirect: false }) =>
    call<Me>('GET', '/api/v1/auth/me', undefined, options),
  logout: () => call<void>('POST', '/api/v1/auth/logout', {}, { authRedirect: false }),
  incidents: (query: string, signal?: AbortSignal) =>
    call<{ incidents: IncidentListItem[] }>('GET', `/api/v1/incidents${query}`, undefined, {
      signal,
    }),
  similar: (id: string, signal?: AbortSignal) =>
    call<{ similar: SimilarIncident[] }>(
      'GET',
      `/api/v1/history/incidents/${enc(id)}/similar`,
      undefined,
      { signal, authRedirect: false },
    ),
  report: (query: string, signal?: AbortSignal) =>
    call<IncidentReport>('GET', `/api/v1/reports${query}`, undefined, { signal }),
  incident: (id: string, signal?: AbortSignal) =>
    call<IncidentView>('GET', `/api/v1/incidents/${enc(id)}`, undefined, { signal }),
  topology: (id: string, signal?: AbortSignal) =>
    call<IncidentTopology>('GET', `/api/v1/incidents/${enc(id)}/topology`, undefined, { signal }),
  acknowledge: (id: string, note?: string) =>
    call<{ action: IncidentAction }>(
      'POST',
      `/api/v1/incidents/${enc(id)}/acknowledge`,
      note ? { note } : {},
    ),
  resolve: (id: string, note?: string) =>
    call<{ action: IncidentAction }>(
      'POST',
      `/api/v1/incidents/${enc(id)}/resolve`,
      note ? { note } : {},
    ),
  mergeIncidents: (id: string, incidentIds: string[]) =>
    call<{ feedback: IncidentFeedback }>('POST', `/api/v1/incidents/${enc(id)}/merge`, {
      incidentIds,
    }),
  splitIncident: (id: string, fingerprints: string[]) =>
    call<{ feedback: Extract<IncidentFeedback, { type: 'split' }> }>(
      'POST',
      `/api/v1/incidents/${enc(id)}/split`,
      { fingerprints },
    ),
  decide: (planId: string, decision: 'approve' | 'reject', reason?: string) =>
    call<{ decision: RemediationDecision }>(
      'POST',
      `/api/v1/plans/${enc(planId)}/decisions`,
      reason ? { decision, reason } : { decision },
    ),
  silences: (signal?: AbortSignal) =>
    call<{ silences: SilenceRow[] }>('GET', '/api/v1/silences', undefined, { signal }),
  createSilence: (body: { matchers: string; duration: string; comment: string }) =>
    call<{ silence: SilenceRow }>('POST', '/api/v1/silences', body),
  expireSilence: (id: string) => call<unknown>('DELETE', `/api/v1/silences/${enc(id)}`),
  maintenance: (signal?: AbortSignal) =>
    call<{ windows: WindowRow[] }>('GET', '/api/v1/maintenance', undefined, { signal }),
  createMaintenance: (body: Record<string, unknown>) =>
    call<{ window: WindowRow }>('POST', '/api/v1/maintenance', body),
  expireMaintenance: (id: string) => call<unknown>('DELETE', `/api/v1/maintenance/${enc(id)}`),
};
