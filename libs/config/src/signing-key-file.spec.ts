import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519KeyFromFile, ed25519PublicKeyFromFile, publicKeyPath } from './signing-key-file';

describe('ed25519KeyFromFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the key at first start, owner-readable only, with its public key beside it', () => {
    const path = join(dir, 'secrets', 'console-decision-key.pem');
    const made = ed25519KeyFromFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(publicKeyPath(path)).toBe(join(dir, 'secrets', 'console-decision-key.pub.pem'));
    const pub = ed25519PublicKeyFromFile(publicKeyPath(path));
    expect(pub.export({ format: 'jwk' })).toEqual(made.publicKey.export({ format: 'jwk' }));
    const again = ed25519KeyFromFile(path);
    expect(again.publicKey.export({ format: 'jwk' })).toEqual(
      made.publicKey.export({ format: 'jwk' }),
    );
    expect(readFileSync(path, 'utf8')).toContain('PRIVATE KEY');
  });
});
