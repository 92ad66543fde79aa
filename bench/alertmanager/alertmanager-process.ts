import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The Alertmanager that infra/local/go-tools.mjs builds (v0.35.0, pinned there). */
export const ALERTMANAGER_BIN = resolve(__dirname, '..', '..', '.vigil', 'bin', 'alertmanager');

/** Route timers in Alertmanager's duration syntax, already scaled to the replay's speed. */
export interface RouteTimers {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  resolveTimeoutMs: number;
}

export interface RunningAlertmanager {
  url: string;
  stop(): Promise<void>;
}

function duration(ms: number): string {
  return `${Math.max(1, Math.round(ms))}ms`;
}

/**
 * The route a team runs in production, with every timer given (scaled): grouped by alertname,
 * cluster and service, one webhook receiver that also gets resolves.
 */
export function routeConfig(timers: RouteTimers, webhookUrl: string): string {
  return [
    'global:',
    `  resolve_timeout: ${duration(timers.resolveTimeoutMs)}`,
    'route:',
    '  receiver: bench',
    '  group_by: [alertname, cluster, service]',
    `  group_wait: ${duration(timers.groupWaitMs)}`,
    `  group_interval: ${duration(timers.groupIntervalMs)}`,
    `  repeat_interval: ${duration(timers.repeatIntervalMs)}`,
    'receivers:',
    '  - name: bench',
    '    webhook_configs:',
    `      - url: ${webhookUrl}`,
    '        send_resolved: true',
    '        max_alerts: 0',
    '',
  ].join('\n');
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * Starts the real Alertmanager on a free port with a throwaway storage directory under
 * .vigil/tmp (removed on stop) and no cluster gossip; resolves once `/-/ready` answers.
 */
export async function startAlertmanager(config: string): Promise<RunningAlertmanager> {
  if (!existsSync(ALERTMANAGER_BIN))
    throw new Error(
      `${ALERTMANAGER_BIN} is missing: run node infra/local/go-tools.mjs --only alertmanager`,
    );
  const tmpRoot = resolve(__dirname, '..', '..', '.vigil', 'tmp');
  mkdirSync(tmpRoot, { recursive: true });
  const dir = mkdtempSync(join(tmpRoot, 'alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const stop = async () => {
    await kill(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited: ${log()}`);
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`alertmanager did not become ready at ${url}: ${log()}`);
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
