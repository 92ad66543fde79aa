import { z } from 'zod';
import { vigilRole, type VigilRole } from '@vigil/contracts';
import { isPasswordHash, verifyPassword } from './password-hash';

export const localUsersSchema = z.object({
  users: z
    .array(
      z.object({
        username: z.string().min(1).max(100),
        passwordHash: z.string().refine(isPasswordHash, {
          message:
            'must be an scrypt hash from `vigil users hash-password`, never a plain password',
        }),
        role: vigilRole,
      }),
    )
    .min(1),
});
export type LocalUsers = z.infer<typeof localUsersSchema>;

// Verifying against this for unknown names keeps the answer time the same as for known ones.
const DECOY = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** The user and role when name and password match; undefined otherwise, in the same time. */
export async function authenticate(
  users: LocalUsers,
  username: string,
  password: string,
): Promise<{ user: string; role: VigilRole } | undefined> {
  const found = users.users.find((u) => u.username === username);
  const ok = await verifyPassword(password, found?.passwordHash ?? DECOY);
  return ok && found ? { user: found.username, role: found.role } : undefined;
}
