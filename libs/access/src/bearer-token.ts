import { createHash, timingSafeEqual } from 'node:crypto';

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Checks a presented token against every configured one in constant time: comparing digests
 * hides the length, and no comparison stops early, so timing says nothing about which token or
 * how much of it matched. One for every API that takes a bearer token (ingest, the model
 * gateway, the executor's platform API).
 */
export class BearerTokenVerifier {
  private readonly digests: readonly Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(digest);
  }

  /** No token configured: the API is open. */
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
