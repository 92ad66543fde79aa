import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { excerpt, httpCall, reasonOf, type HttpAnswer } from './http-client';
import type { LocalServiceVersion } from './local-process-config';

/** One running (or crashed) child process of a service, on its own port. */
export interface LocalInstance {
  /** `<service>-<port>`: stable across restarts, since a restart keeps the port. */
  name: string;
  port: number;
  version: string;
  pid: number | undefined;
  child: ChildProcess;
  /** Set when the process ended (crash, kill or failed spawn), with how. */
  exit?: string;
  /** The end of stderr, for the detail of a failed start. */
  stderrTail: string;
}

const stderrTailChars = 2_000;

export function spawnInstance(
  service: string,
  version: LocalServiceVersion,
  port: number,
  dataDir?: string,
): LocalInstance {
  const child = spawn(version.command, [...(version.args ?? [])], {
    cwd: version.cwd,
    env: {
      ...process.env,
      ...version.env,
      PORT: String(port),
      VIGIL_SERVICE: service,
      VIGIL_VERSION: version.version,
      ...(dataDir ? { VIGIL_DATA_DIR: dataDir } : {}),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const instance: LocalInstance = {
    name: `${service}-${port}`,
    port,
    version: version.version,
    pid: child.pid,
    child,
    stderrTail: '',
  };
  child.stderr?.on('data', (chunk: Buffer) => {
    instance.stderrTail = (instance.stderrTail + chunk.toString('utf8')).slice(-stderrTailChars);
  });
  child.on('error', (error) => (instance.exit ??= `could not start: ${error.message}`));
  child.on('exit', (code, signal) => (instance.exit ??= `exited (${signal ?? `code ${code}`})`));
  return instance;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopInstance(instance: LocalInstance, graceMs: number): Promise<void> {
  if (instance.exit !== undefined || instance.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => instance.child.once('exit', () => resolve()));
  instance.child.kill('SIGTERM');
  const timer = setTimeout(() => instance.child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function probe(
  instance: LocalInstance,
  path: string,
  timeoutMs: number,
  post?: unknown,
): Promise<HttpAnswer> {
  return httpCall({
    method: post === undefined ? 'GET' : 'POST',
    url: `http://127.0.0.1:${instance.port}${path}`,
    body: post === undefined ? undefined : JSON.stringify(post),
    headers: post === undefined ? undefined : { 'Content-Type': 'application/json' },
    timeoutMs,
  });
}

export interface WaitOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  probeTimeoutMs: number;
  /** true: until health answers 200; false: until the instance answers HTTP at all. */
  healthy: boolean;
}

/** Polls the health path; the reason says why the instance never got there. */
export async function waitForInstance(
  instance: LocalInstance,
  healthPath: string,
  options: WaitOptions,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (instance.exit !== undefined) return { ok: false, reason: crashReason(instance) };
    try {
      const answer = await probe(instance, healthPath, options.probeTimeoutMs);
      if (!options.healthy || answer.status === 200) return { ok: true };
      last = `health answered ${answer.status}`;
    } catch (error) {
      last = reasonOf(error);
    }
    if (Date.now() >= deadline)
      return {
        ok: false,
        reason: `${instance.name} not ready after ${options.timeoutMs} ms (${last})`,
      };
    await sleep(options.pollIntervalMs);
  }
}

function crashReason(instance: LocalInstance): string {
  const stderr = instance.stderrTail ? `; stderr: ${excerpt(instance.stderrTail)}` : '';
  return `${instance.name} ${instance.exit}${stderr}`;
}

/** Whether nothing (ours or another program) listens on the port of 127.0.0.1. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
