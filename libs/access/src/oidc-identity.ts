/** Who an OIDC user is: a stable key for audits and roles, and a name only for display. */
export interface OidcIdentity {
  /** `issuer|sub`: never reassigned by the provider, unlike user names and e-mails. */
  key: string;
  displayName: string;
}

/**
 * The key is the issuer plus `sub`, which the provider promises never to reuse; a user name or
 * e-mail can be renamed or handed to someone else, so it is shown and never recorded as who.
 */
export function oidcIdentity(claims: Record<string, unknown>): OidcIdentity | undefined {
  const { iss, sub } = claims;
  if (typeof iss !== 'string' || !iss || typeof sub !== 'string' || !sub) return undefined;
  const shown = [claims['preferred_username'], claims['name'], claims['email']].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
  return { key: `${iss}|${sub}`, displayName: (shown ?? sub).slice(0, 100) };
}
