import { bearerTokenOf, BearerTokenVerifier } from './bearer-token';

describe('BearerTokenVerifier', () => {
  const verifier = new BearerTokenVerifier(['first-token-0123456789', 'second-token-0123456789']);

  it('accepts any configured token and nothing else', () => {
    expect(verifier.verify('first-token-0123456789')).toBe(true);
    expect(verifier.verify('second-token-0123456789')).toBe(true);
    expect(verifier.verify('first-token-012345678')).toBe(false);
    expect(verifier.verify('')).toBe(false);
  });

  it('is open only without tokens', () => {
    expect(verifier.open).toBe(false);
    expect(new BearerTokenVerifier([]).open).toBe(true);
  });
});

describe('bearerTokenOf', () => {
  it('reads the token of a Bearer header in any case of the scheme', () => {
    expect(bearerTokenOf('Bearer abc.def')).toBe('abc.def');
    expect(bearerTokenOf('bearer   abc ')).toBe('abc');
  });

  it('finds none in other schemes or malformed headers', () => {
    expect(bearerTokenOf(undefined)).toBeUndefined();
    expect(bearerTokenOf('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerTokenOf('Bearer')).toBeUndefined();
    expect(bearerTokenOf('Bearer a b')).toBeUndefined();
  });
});
