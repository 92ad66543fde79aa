import { authenticate, localUsersSchema } from './local-users';
import { hashPassword } from './password-hash';

describe('local users', () => {
  it('signs in a known user with the right password, with their role', async () => {
    const users = localUsersSchema.parse({
      users: [{ username: 'alice', passwordHash: await hashPassword('s3cret'), role: 'approver' }],
    });
    await expect(authenticate(users, 'alice', 's3cret')).resolves.toEqual({
      user: 'alice',
      role: 'approver',
    });
    await expect(authenticate(users, 'alice', 'guess')).resolves.toBeUndefined();
    await expect(authenticate(users, 'mallory', 's3cret')).resolves.toBeUndefined();
  });

  it('refuses a users file holding a plain-text password, saying why', () => {
    const parsed = localUsersSchema.safeParse({
      users: [{ username: 'bob', passwordHash: 'hunter2', role: 'viewer' }],
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('never a plain password');
  });
});
