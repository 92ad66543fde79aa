import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { VIGIL_SETTINGS } from '@vigil/messaging';
import type { IngestSettings } from './ingest.config';
import { IngestRejection } from './ingest-rejection';

const realm = 'Bearer realm="vigil-ingest"';

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Checks a presented token against every configured one in constant time: comparing digests
 * hides the length, and no comparison stops early, so timing says nothing about which token or
 * how much of it matched.
 */
export class BearerTokenVerifier {
  private readonly digests: readonly Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(digest);
  }

  get open(): boolean {
    return this.digests.length === 0;
  }

  verify(candidate: string): boolean {
    const presented = digest(candidate);
    let matched = false;
    for (const expected of this.digests) matched = timingSafeEqual(expected, presented) || matched;
    return matched;
  }
}

/** The token of an `Authorization: Bearer <token>` header (scheme in any case), else undefined. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
  return match?.[1];
}

/** Lets a request through with a configured token, or without one when none is configured. */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly verifier: BearerTokenVerifier;

  constructor(@Inject(VIGIL_SETTINGS) settings: IngestSettings) {
    this.verifier = new BearerTokenVerifier(settings.tokens);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.verifier.open) return true;
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined)
      throw new IngestRejection(401, 'unauthorized', 'send Authorization: Bearer <token>', {
        'WWW-Authenticate': realm,
      });
    if (!this.verifier.verify(token))
      throw new IngestRejection(401, 'unauthorized', 'the bearer token is not valid', {
        'WWW-Authenticate': `${realm}, error="invalid_token"`,
      });
    return true;
  }
}
