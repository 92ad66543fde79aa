import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  Inject,
  NotFoundException,
  Post,
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Session } from '@vigil/access';
import { AccessGuard, Needs, Public, type SignedInRequest } from './access.guard';
import { ConsoleAuth, OIDC_COOKIE, SESSION_COOKIE } from './console-auth.service';
import { clearCookie, readCookie, setCookie } from './http-cookies';
import { parseRequest } from './request-parsing';

const loginBody = z.object({
  username: z.string().min(1, 'is required').max(100),
  password: z.string().min(1, 'is required').max(1000),
});

function me(session: Session) {
  return {
    // name is for display; id is the stable key audits record (issuer|sub for OIDC)
    user: { name: session.displayName, id: session.user, role: session.role },
    csrfToken: session.csrfToken,
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
}

/** The peer address (Express's request.ip honours a configured `trust proxy` only). */
function clientAddress(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}

@Controller('api/v1/auth')
@UseGuards(AccessGuard)
export class AuthController {
  constructor(@Inject(ConsoleAuth) private readonly auth: ConsoleAuth) {}

  @Get('providers')
  @Public()
  providers() {
    const oidc = this.auth.oidc;
    return {
      local: this.auth.localEnabled,
      oidc: oidc ? { name: oidc.name, loginUrl: '/api/v1/auth/oidc/login' } : null,
    };
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  async login(
    @Req() request: Request,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ) {
    // a cross-site form can post urlencoded but not JSON: no signing people in as someone else
    if (!request.is('application/json'))
      throw new HttpException('sign-in takes a JSON body (content-type: application/json)', 415);
    const { username, password } = parseRequest(loginBody, body, 'body');
    const result = await this.auth.signIn(username, password, clientAddress(request));
    if (!result.ok) {
      if (result.retryAfterS !== undefined) {
        response.setHeader('retry-after', String(result.retryAfterS));
        throw new HttpException(result.reason, 429);
      }
      throw new UnauthorizedException(result.reason);
    }
    this.setSession(response, result.session);
    return me(result.session);
  }

  @Get('me')
  @Needs('view')
  whoAmI(@Req() request: SignedInRequest) {
    return me(request.session);
  }

  @Post('logout')
  @Needs('view')
  @HttpCode(204)
  logout(@Req() request: SignedInRequest, @Res({ passthrough: true }) response: Response): void {
    this.auth.sessions.destroy(request.session.id);
    clearCookie(response, SESSION_COOKIE);
  }

  @Get('oidc/login')
  @Public()
  async oidcLogin(@Res() response: Response): Promise<void> {
    const oidc = this.auth.oidc;
    if (!oidc) throw new NotFoundException('OIDC sign-in is not configured');
    const { attemptId, url } = await oidc.start();
    // Lax: the provider's redirect back is a cross-site navigation
    setCookie(response, OIDC_COOKIE, attemptId, {
      maxAgeMs: 10 * 60_000,
      secure: this.auth.settings.secureCookies,
      sameSite: 'lax',
    });
    response.redirect(302, url);
  }

  @Get('oidc/callback')
  @Public()
  async oidcCallback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const oidc = this.auth.oidc;
    if (!oidc) throw new NotFoundException('OIDC sign-in is not configured');
    const redirect = new URL(this.auth.settings.oidc?.redirectUrl ?? '');
    const callbackUrl = new URL(request.originalUrl, redirect.origin);
    clearCookie(response, OIDC_COOKIE);
    const result = await oidc
      .finish(readCookie(request, OIDC_COOKIE), callbackUrl)
      .catch((error: unknown) => ({ ok: false as const, reason: String(error) }));
    if (!result.ok) {
      response.redirect(302, `/login?error=${encodeURIComponent(result.reason)}`);
      return;
    }
    this.setSession(response, this.auth.openSession(result.user, result.role, result.displayName));
    response.redirect(302, '/');
  }

  private setSession(response: Response, session: Session): void {
    setCookie(response, SESSION_COOKIE, session.id, {
      maxAgeMs: session.expiresAt - Date.now(),
      secure: this.auth.settings.secureCookies,
    });
  }
}
