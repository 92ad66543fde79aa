import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from './project-root';

/** `vigil ARGS` as a user runs it (the CLI's source through ts-node); its standard output. */
export async function vigil(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      join(projectRoot, 'node_modules', 'ts-node', 'dist', 'bin.js'),
      join('apps', 'cli', 'src', 'main.ts'),
      ...args,
    ],
    { cwd: projectRoot, env: process.env },
  );
  return stdout;
}
