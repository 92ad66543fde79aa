import { hashPassword, isPasswordHash, verifyPassword } from './password-hash';

describe('password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse');
    expect(isPasswordHash(hash)).toBe(true);
    expect(hash).not.toContain('correct horse');
    await expect(verifyPassword('correct horse', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct hors', hash)).resolves.toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('pw')).not.toBe(await hashPassword('pw'));
  });

  it('never matches a malformed stored value (for example a plain-text password)', async () => {
    await expect(verifyPassword('pw', 'pw')).resolves.toBe(false);
    await expect(verifyPassword('pw', 'scrypt$1$2$3$x')).resolves.toBe(false);
  });
});
