import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import {
  authenticate,
  localUsersSchema,
  SessionStore,
  type LocalUsers,
  type Session,
} from '@vigil/access';
import type { VigilRole } from '@vigil/contracts';
import { VIGIL_SETTINGS } from '@vigil/messaging';
import type { ConsoleSettings } from './console.config';
import type { OidcSignIn } from './oidc-sign-in';

export const OIDC_SIGN_IN = Symbol('OIDC_SIGN_IN');
export const SESSION_COOKIE = 'vigil_session';
export const OIDC_COOKIE = 'vigil_oidc';

const FAILURE_WINDOW_MS = 5 * 60_000;
const MAX_FAILURES = 5;
// names tracked at once; guessing many names must not grow memory without bound
const MAX_TRACKED_NAMES = 10_000;

/** Reads the users file once at start: a wrong file stops the console with what is wrong. */
export function loadLocalUsers(path: string | undefined): LocalUsers | undefined {
  if (!path) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`CONSOLE_USERS_FILE ${path}: cannot read it as JSON (${String(error)})`);
  }
  const parsed = localUsersSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `CONSOLE_USERS_FILE ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** Sign-in (local users, OIDC) and the sessions it opens. */
@Injectable()
export class ConsoleAuth {
  readonly sessions: SessionStore;
  private readonly users: LocalUsers | undefined;
  private readonly failures = new Map<string, number[]>();

  constructor(
    @Inject(VIGIL_SETTINGS) readonly settings: ConsoleSettings,
    @Inject(OIDC_SIGN_IN) readonly oidc: OidcSignIn | undefined,
  ) {
    this.sessions = new SessionStore({ ttlMs: settings.sessionTtlMs });
    this.users = loadLocalUsers(settings.usersFile);
  }

  get localEnabled(): boolean {
    return this.users !== undefined;
  }

  /** A session, or why not: `throttled` after repeated failures for the same name. */
  async signIn(
    username: string,
    password: string,
  ): Promise<{ ok: true; session: Session } | { ok: false; reason: string; retryAfterS?: number }> {
    if (!this.users) return { ok: false, reason: 'local sign-in is not configured' };
    const recent = this.recentFailures(username);
    if (recent.length >= MAX_FAILURES) {
      const retryAfterS = Math.ceil(((recent[0] ?? 0) + FAILURE_WINDOW_MS - Date.now()) / 1000);
      return {
        ok: false,
        reason: `too many failed sign-ins for ${username}; try again in ${retryAfterS} s`,
        retryAfterS,
      };
    }
    const found = await authenticate(this.users, username, password);
    if (!found) {
      this.failures.set(username, [...recent, Date.now()]);
      if (this.failures.size > MAX_TRACKED_NAMES)
        this.failures.delete(this.failures.keys().next().value as string);
      return { ok: false, reason: 'unknown user or wrong password' };
    }
    this.failures.delete(username);
    return { ok: true, session: this.sessions.create(found.user, found.role) };
  }

  openSession(user: string, role: VigilRole): Session {
    return this.sessions.create(user, role);
  }

  private recentFailures(username: string): number[] {
    const since = Date.now() - FAILURE_WINDOW_MS;
    const recent = (this.failures.get(username) ?? []).filter((t) => t > since);
    if (recent.length === 0) this.failures.delete(username);
    return recent;
  }
}
