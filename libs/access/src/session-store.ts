import { randomBytes } from 'node:crypto';
import type { VigilRole } from '@vigil/contracts';

export interface Session {
  id: string;
  /** The stable key recorded in audits: a local user name, or `issuer|sub` for OIDC. */
  user: string;
  /** Shown to people; may change, so never recorded as who acted. */
  displayName: string;
  role: VigilRole;
  /** Sent back by the browser in a header on every change: a forged cross-site form cannot. */
  csrfToken: string;
  expiresAt: number;
}

export interface SessionStoreOptions {
  ttlMs: number;
  /** Oldest sessions go first past this many, so a login flood cannot exhaust memory. */
  maxSessions?: number;
  now?: () => number;
}

const token = () => randomBytes(32).toString('base64url');

/** Server-side sessions: the cookie holds only a random id; expiry is absolute, not sliding. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;

  constructor(private readonly options: SessionStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  create(user: string, role: VigilRole, displayName = user): Session {
    this.sweep();
    const session = {
      id: token(),
      user,
      displayName,
      role,
      csrfToken: token(),
      expiresAt: this.now() + this.options.ttlMs,
    };
    this.sessions.set(session.id, session);
    const max = this.options.maxSessions ?? 10_000;
    for (const id of this.sessions.keys()) {
      if (this.sessions.size <= max) break;
      this.sessions.delete(id);
    }
    return session;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (session && session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  destroy(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }
}
