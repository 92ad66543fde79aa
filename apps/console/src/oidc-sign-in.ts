import { randomBytes } from 'node:crypto';
import type * as OpenIdClient from 'openid-client';
import { ExpiringMap, oidcIdentity, roleFromGroups } from '@vigil/access';
import type { VigilRole } from '@vigil/contracts';
import type { OidcSettings } from './console.config';

type Client = typeof OpenIdClient;
// openid-client is ESM-only; the apps compile to CommonJS
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<Client>;

interface PendingLogin {
  state: string;
  verifier: string;
  nonce: string;
}

const PENDING_TTL_MS = 10 * 60_000;
// started sign-ins held at once: a flood of /oidc/login cannot exhaust memory
const MAX_PENDING = 10_000;

/** Authorization code flow with PKCE, state and nonce; the role comes from the groups claim. */
export class OidcSignIn {
  private readonly pending = new ExpiringMap<PendingLogin>({
    ttlMs: PENDING_TTL_MS,
    maxEntries: MAX_PENDING,
  });

  private constructor(
    private readonly client: Client,
    private readonly configuration: OpenIdClient.Configuration,
    private readonly settings: OidcSettings,
  ) {}

  static async discover(settings: OidcSettings): Promise<OidcSignIn> {
    const client = await importEsm('openid-client');
    const issuer = new URL(settings.issuer);
    const configuration = await client.discovery(
      issuer,
      settings.clientId,
      settings.clientSecret,
      undefined,
      // plain http only for a provider on this machine (development, tests)
      issuer.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(issuer.hostname)
        ? { execute: [client.allowInsecureRequests] }
        : undefined,
    );
    return new OidcSignIn(client, configuration, settings);
  }

  get name(): string {
    return this.settings.name;
  }

  /** The provider URL to send the browser to, and the id of this attempt (a cookie). */
  async start(): Promise<{ attemptId: string; url: string }> {
    const c = this.client;
    const login = {
      state: c.randomState(),
      verifier: c.randomPKCECodeVerifier(),
      nonce: c.randomNonce(),
    };
    const attemptId = randomBytes(24).toString('base64url');
    this.pending.set(attemptId, login);
    const url = c.buildAuthorizationUrl(this.configuration, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes,
      code_challenge: await c.calculatePKCECodeChallenge(login.verifier),
      code_challenge_method: 'S256',
      state: login.state,
      nonce: login.nonce,
    });
    return { attemptId, url: url.href };
  }

  /**
   * Exchanges the code; the person (`user` is the stable issuer|sub key, `displayName` only
   * shown) and their role, or why they cannot sign in.
   */
  async finish(
    attemptId: string | undefined,
    callbackUrl: URL,
  ): Promise<
    { ok: true; user: string; displayName: string; role: VigilRole } | { ok: false; reason: string }
  > {
    const login = attemptId ? this.pending.take(attemptId) : undefined;
    if (!login)
      return { ok: false, reason: 'the sign-in attempt is unknown or expired; start again' };
    const tokens = await this.client.authorizationCodeGrant(this.configuration, callbackUrl, {
      pkceCodeVerifier: login.verifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
    });
    const claims = tokens.claims();
    if (!claims) return { ok: false, reason: 'the provider returned no ID token' };
    const identity = oidcIdentity(claims);
    if (!identity) return { ok: false, reason: 'the ID token has no issuer or subject' };
    const raw = claims[this.settings.groupsClaim];
    const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
    const role = roleFromGroups(groups, this.settings.roleMap);
    if (!role)
      return {
        ok: false,
        reason: `${identity.displayName} is in no group that gives a Vigil role (${this.settings.groupsClaim}: ${groups.join(', ') || 'none'})`,
      };
    return { ok: true, user: identity.key, displayName: identity.displayName, role };
  }
}
