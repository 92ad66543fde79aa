import { timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { may, refusal, type Permission, type Session } from '@vigil/access';
import { ConsoleAuth, SESSION_COOKIE } from './console-auth.service';
import { readCookie } from './http-cookies';
import { jsonBodyRefusal } from './request-parsing';

const NEEDS = 'vigil:needs';
/** The permission a route needs. A guarded route with neither this nor @Public() is refused. */
export const Needs = (permission: Permission) => SetMetadata(NEEDS, permission);
/** A route anyone may call (sign-in itself). */
export const Public = () => SetMetadata(NEEDS, 'public');

export type SignedInRequest = Request & { session: Session };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every console route: a live session, the role the route needs, and on a change the session's
 * CSRF token in a header (a cross-site form cannot set headers; SameSite=Strict is the other half).
 * A change's body, if it has one, must be JSON (415 otherwise); that is checked only once the
 * caller is known to be allowed, so it tells nobody else anything.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ConsoleAuth) private readonly auth: ConsoleAuth,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const permission = this.reflector.get<Permission | 'public' | undefined>(
      NEEDS,
      context.getHandler(),
    );
    if (permission === 'public') return true;
    // deny by default: a route someone forgot to mark is closed, not open
    if (!permission) throw new ForbiddenException('this route has no access rule');
    const request = context.switchToHttp().getRequest<SignedInRequest>();
    const session = this.auth.sessions.get(readCookie(request, SESSION_COOKIE));
    if (!session) throw new UnauthorizedException('sign in first: no session, or it has expired');
    if (!SAFE_METHODS.has(request.method) && !sameToken(request.get('x-csrf-token'), session))
      throw new ForbiddenException('missing or wrong x-csrf-token header');
    if (!may(session.role, permission))
      throw new ForbiddenException(refusal(session.displayName, session.role, permission));
    const unreadable = SAFE_METHODS.has(request.method) ? undefined : jsonBodyRefusal(request);
    if (unreadable) throw new UnsupportedMediaTypeException(unreadable);
    request.session = session;
    return true;
  }
}

function sameToken(sent: string | undefined, session: Session): boolean {
  const a = Buffer.from(sent ?? '');
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
