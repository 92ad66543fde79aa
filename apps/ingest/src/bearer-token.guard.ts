import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { bearerTokenOf, BearerTokenVerifier } from '@vigil/access';
import { VIGIL_SETTINGS } from '@vigil/messaging';
import type { IngestSettings } from './ingest.config';
import { IngestRejection } from './ingest-rejection';

const realm = 'Bearer realm="vigil-ingest"';

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
