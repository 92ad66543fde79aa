import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { serviceAllocatorEnv, serviceNodeFlags } from '@vigil/config';
import { projectRoot } from './project-root';
import { waitFor } from './wait-for';

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly output: string[];
  /** SIGKILL: no shutdown hooks, no offset commit on the way out, as in a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs a real Vigil app (apps/NAME/src/main.ts) as its own process, with its V8 flags and memory
 * allocator, as in production.
 */
export function startService(
  app: string,
  env: Record<string, string>,
  healthPort: number,
): Promise<ServiceProcess> {
  return startProcess(
    app,
    [
      ...serviceNodeFlags(app),
      join(projectRoot, 'node_modules', 'ts-node', 'dist', 'bin.js'),
      join('apps', app, 'src', 'main.ts'),
    ],
    { ...serviceAllocatorEnv(app), ...env },
    `http://127.0.0.1:${healthPort}/healthz`,
  );
}

/**
 * Runs `node ARGS` from the project root until `readyUrl` answers 2xx. With `logFile`, everything
 * it prints also goes there, to read after a long run (a benchmark, an end-to-end test).
 */
export async function startProcess(
  name: string,
  args: string[],
  env: Record<string, string>,
  readyUrl: string,
  readyTimeoutMs = 60_000,
  logFile?: string,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  if (logFile) mkdirSync(dirname(logFile), { recursive: true });
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    log?.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', () => log?.end());
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const signal = async (signalName: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signalName);
    await exited;
  };
  const service: ServiceProcess = {
    child,
    output,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };

  try {
    await waitFor(
      `${name} to answer ${readyUrl}`,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`${name} exited with ${child.exitCode}:\n${output.join('')}`);
        const response = await fetch(readyUrl).catch(() => undefined);
        return response?.ok === true;
      },
      readyTimeoutMs,
    );
  } catch (error) {
    await service.kill();
    throw error;
  }
  return service;
}

/** What a service logged as JSON lines (its other output left out), the records `keep` picks. */
export function logRecords(
  service: ServiceProcess | undefined,
  keep: (record: Record<string, unknown>) => boolean,
): Array<Record<string, unknown>> {
  return (service?.output.join('') ?? '').split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      return keep(record) ? [record] : [];
    } catch {
      return [];
    }
  });
}
