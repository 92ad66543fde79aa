import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import {
  authenticate,
  localUsersSchema,
  SessionStore,
  SignInThrottle,
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
// one person's password guessed from anywhere
const MAX_FAILURES_PER_NAME = 5;
// many names sprayed from one address; high enough for a shared office address
const MAX_FAILURES_PER_IP = 30;

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
  private readonly throttle = new SignInThrottle({
    windowMs: FAILURE_WINDOW_MS,
    perName: MAX_FAILURES_PER_NAME,
    perIp: MAX_FAILURES_PER_IP,
  });

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

  /** A session, or why not: `throttled` after repeated failures for the name or the address. */
  async signIn(
    username: string,
    password: string,
    ip = 'unknown',
  ): Promise<{ ok: true; session: Session } | { ok: false; reason: string; retryAfterS?: number }> {
    if (!this.users) return { ok: false, reason: 'local sign-in is not configured' };
    const attempt = { ip, name: username };
    const throttled = this.throttle.refusal(attempt);
    if (throttled) return { ok: false, ...throttled };
    const found = await authenticate(this.users, username, password);
    if (!found) {
      this.throttle.failed(attempt);
      return { ok: false, reason: 'unknown user or wrong password' };
    }
    this.throttle.succeeded(attempt);
    return { ok: true, session: this.sessions.create(found.user, found.role) };
  }

  /** `user` is the stable key recorded in audits; `displayName` is only shown. */
  openSession(user: string, role: VigilRole, displayName?: string): Session {
    return this.sessions.create(user, role, displayName);
  }
}
