import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../support/project-root';

// `npm test` stopped by a signal must stop the Kafka and Neo4j its setup started, and a bench the
// services (and, in an 'exit' hook, the Kafka and Neo4j) it started: both hand their stop to
// stopOnSignal. Here a real process gets the real signal. It must end by process.exit(128 + n),
// not by the signal raised again: a process ended by a signal runs no 'exit' hook.

interface Stopped {
  signal: NodeJS.Signals | null;
  code: number | null;
  /** What the child appended to its marker file: its stop, and its 'exit' hook. */
  marker?: string;
}

interface Child {
  /** The stop fails (after appending to the marker) instead of succeeding. */
  failingStop?: boolean;
  /** An 'exit' hook, as bench/support/local-infra.ts registers, appends to the marker too. */
  exitHook?: boolean;
  /** The handlers are taken away again right after they are registered. */
  unregister?: boolean;
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-signal-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A process whose stop appends `stopped` to a marker file after 300 ms, stopped by `signals`: the
 * first once it is ready, each further one once its stop has begun.
 */
async function stopWith(
  signals: NodeJS.Signals[],
  child: Child = {},
): Promise<Stopped & { stderr: string }> {
  const marker = join(dir, 'marker');
  const script = `
    const { appendFileSync } = require('node:fs');
    const marker = ${JSON.stringify(marker)};
    const { stopOnSignal } = require('./test/support/stop-on-signal');
    ${child.exitHook ? "process.on('exit', (code) => appendFileSync(marker, 'exit hook ' + code + '\\n'));" : ''}
    const unregister = stopOnSignal(
      () => new Promise((done, fail) => {
        console.log('stopping');
        setTimeout(() => {
          appendFileSync(marker, 'stopped\\n');
          ${child.failingStop ? "fail(new Error('broker gone'));" : 'done();'}
        }, 300);
      }),
      'stopping the test child',
    );
    ${child.unregister ? 'unregister();' : ''}
    console.log('ready');
    setInterval(() => undefined, 1000);
  `;
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Stopped>((done) =>
    proc.once('exit', (code, signal) => done({ code, signal })),
  );
  /** Resolves once the child has printed `line`; fails if it exits first. */
  const printed = (line: string) =>
    new Promise<void>((done, fail) => {
      const check = () => {
        if (!stdout.split('\n').includes(line)) return;
        proc.stdout.off('data', check);
        done();
      };
      proc.stdout.on('data', check);
      check();
      void exited.then(() => fail(new Error(`exited before "${line}"; stderr:\n${stderr}`)));
    });
  await printed('ready');
  for (const [n, signal] of signals.entries()) {
    if (n > 0) await printed('stopping');
    proc.kill(signal);
  }
  const stopped = await exited;
  return {
    ...stopped,
    ...(existsSync(marker) && { marker: readFileSync(marker, 'utf8') }),
    stderr,
  };
}

describe("a process stopped by a signal runs its stop first, then exits with 128 + the signal's number", () => {
  it('runs the stop to its end on SIGTERM, then exits with 143', async () => {
    const { stderr, ...stopped } = await stopWith(['SIGTERM']);
    expect(stopped).toEqual({ code: 143, signal: null, marker: 'stopped\n' });
    expect(stderr).toContain('SIGTERM: stopping the test child\n');
  });

  it('stops once when Ctrl-C is pressed twice, and exits with 130', async () => {
    const { stderr, ...stopped } = await stopWith(['SIGINT', 'SIGINT']);
    expect(stopped).toEqual({ code: 130, signal: null, marker: 'stopped\n' });
    expect(stderr).toContain('SIGINT: still stopping');
  });

  // the reason it exits instead of raising the signal again: the benches stop their Kafka and
  // Neo4j in an 'exit' hook, which a process ended by a signal never runs
  it("runs the process's 'exit' hooks after the stop", async () => {
    const { stderr: _, ...stopped } = await stopWith(['SIGTERM'], { exitHook: true });
    expect(stopped).toEqual({ code: 143, signal: null, marker: 'stopped\nexit hook 143\n' });
  });

  it('reports a stop that fails, and exits as it would have (SIGHUP: 129)', async () => {
    const { stderr, ...stopped } = await stopWith(['SIGHUP'], {
      failingStop: true,
      exitHook: true,
    });
    expect(stopped).toEqual({ code: 129, signal: null, marker: 'stopped\nexit hook 129\n' });
    expect(stderr).toContain('SIGHUP: stopping failed: Error: broker gone');
  });

  it('leaves the signal alone once the handlers are taken away', async () => {
    const { stderr: _, ...stopped } = await stopWith(['SIGTERM'], {
      exitHook: true,
      unregister: true,
    });
    expect(stopped).toEqual({ code: null, signal: 'SIGTERM' });
  });
});
