// The console's pages and their paths. Pure (no DOM).

export type Route =
  | { name: 'login'; next: string; error: string }
  | { name: 'incidents' }
  | { name: 'incident'; id: string }
  | { name: 'silences' }
  | { name: 'reports' }
  | { name: 'not-found'; path: string };

export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'incidents' };
  if (path === '/silences') return { name: 'silences' };
  if (path === '/reports') return { name: 'reports' };
  if (path === '/login') {
    // `error`: why a sign-in elsewhere failed (the OIDC callback redirects here with it)
    const params = new URLSearchParams(search);
    return { name: 'login', next: safeNext(params.get('next')), error: params.get('error') ?? '' };
  }
  const incident = /^\/incidents\/([^/]+)$/.exec(path);
  if (incident) {
    try {
      return { name: 'incident', id: decodeURIComponent(incident[1]) };
    } catch {
      return { name: 'not-found', path };
    }
  }
  return { name: 'not-found', path };
}

export function incidentPath(id: string): string {
  return `/incidents/${encodeURIComponent(id)}`;
}

/**
 * Where to go after signing in: a path on this site only (never `//other.host` or a URL), and
 * never back to the login page.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/')) return '/';
  // resolve it as a browser would (which drops tabs and newlines, and reads \\ as /): only a
  // path that stays on this origin is kept, in its resolved form
  const origin = 'http://vigil.invalid';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  return /^\/login(?:[/?#]|$)/.test(path) ? '/' : path;
}

/** The login page, remembering the page that was asked for. */
export function loginPath(next: string): string {
  const target = safeNext(next);
  return target === '/' ? '/login' : `/login?next=${encodeURIComponent(target)}`;
}
