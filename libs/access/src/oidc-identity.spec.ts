import { oidcIdentity } from './oidc-identity';

describe('OIDC identity', () => {
  it('keys the user by issuer and sub, and only shows the user name', () => {
    expect(
      oidcIdentity({ iss: 'https://id.example', sub: 'u-42', preferred_username: 'ann' }),
    ).toEqual({ key: 'https://id.example|u-42', displayName: 'ann' });
  });

  it('keeps the key when the provider renames the user', () => {
    const before = oidcIdentity({
      iss: 'https://id.example',
      sub: 'u-42',
      preferred_username: 'ann',
    });
    const after = oidcIdentity({
      iss: 'https://id.example',
      sub: 'u-42',
      preferred_username: 'anna',
    });
    expect(after?.key).toBe(before?.key);
  });

  it('tells the same sub from two issuers apart', () => {
    const a = oidcIdentity({ iss: 'https://a.example', sub: '1' });
    const b = oidcIdentity({ iss: 'https://b.example', sub: '1' });
    expect(a?.key).not.toBe(b?.key);
  });

  it('shows the name or e-mail when there is no user name, else the sub', () => {
    expect(oidcIdentity({ iss: 'i', sub: 's', name: 'Ann Lee' })?.displayName).toBe('Ann Lee');
    expect(oidcIdentity({ iss: 'i', sub: 's', email: 'a@x.io' })?.displayName).toBe('a@x.io');
    expect(oidcIdentity({ iss: 'i', sub: 's' })?.displayName).toBe('s');
  });

  it('has no identity without an issuer or a sub', () => {
    expect(oidcIdentity({ sub: 's', preferred_username: 'ann' })).toBeUndefined();
    expect(oidcIdentity({ iss: 'i', sub: '' })).toBeUndefined();
  });
});
