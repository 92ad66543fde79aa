// A real OpenID Connect provider (panva/oidc-provider) on this machine, standing in for the
// company's identity provider in the console's sign-in test. Its development login form takes any
// name; the groups claim comes from OIDC_TEST_GROUPS, e.g. {"olga":["sre-leads"]}.
// Usage: node test/support/oidc-test-provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const groups = JSON.parse(process.env.OIDC_TEST_GROUPS ?? '{}');
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  scopes: ['openid', 'profile', 'email', 'groups'],
  claims: { openid: ['sub'], profile: ['preferred_username'], groups: ['groups'] },
  // put the requested claims into the ID token, which is what the console reads
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: ['vigil-test-only-cookie-key'] },
  findAccount: (_ctx, sub) => ({
    accountId: sub,
    claims: () => ({ sub, preferred_username: sub, groups: groups[sub] ?? [] }),
  }),
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`${error.stack}\n`));

createServer(provider.callback()).listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`oidc test provider on ${issuer}\n`);
});
