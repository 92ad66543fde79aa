import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { hashPassword, localUsersSchema, type LocalUsers } from '@vigil/access';
import { describeIssues, vigilRole } from '@vigil/contracts';
import { readJsonFile } from './input-file';

async function readPassword(fromStdin: boolean): Promise<string> {
  if (!fromStdin && process.stdin.isTTY)
    throw new Error('give the password on standard input: --password-stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (password.length < 8) throw new Error('the password must have at least 8 characters');
  return password;
}

function readUsers(file: string): LocalUsers['users'] {
  if (!existsSync(file)) return [];
  const parsed = localUsersSchema.safeParse(readJsonFile(file));
  if (!parsed.success)
    throw new Error(`${file} is not a users file: ${describeIssues(parsed.error)}`);
  return parsed.data.users;
}

/** `vigil users add|hash-password`: the console's local users file, never a plain password in it. */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('local users of the web console');
  users
    .command('hash-password')
    .description('print the scrypt hash of the password read from standard input')
    .action(async () => {
      process.stdout.write(`${await hashPassword(await readPassword(true))}\n`);
    });
  users
    .command('add')
    .description('add or replace a user in a console users file (password from standard input)')
    .requiredOption('--file <path>', 'the users file (CONSOLE_USERS_FILE)')
    .requiredOption('--username <name>', 'the sign-in name')
    .requiredOption('--role <role>', 'viewer | responder | approver')
    .option('--password-stdin', 'read the password from standard input', false)
    .action(
      async (options: { file: string; username: string; role: string; passwordStdin: boolean }) => {
        const role = vigilRole.safeParse(options.role);
        if (!role.success) throw new Error('--role must be viewer, responder or approver');
        const passwordHash = await hashPassword(await readPassword(options.passwordStdin));
        const list = readUsers(options.file).filter((u) => u.username !== options.username);
        list.push({ username: options.username, passwordHash, role: role.data });
        writeFileSync(options.file, `${JSON.stringify({ users: list }, null, 2)}\n`, {
          mode: 0o600,
        });
        process.stdout.write(`${options.username} (${role.data}) is in ${options.file}\n`);
      },
    );
}
