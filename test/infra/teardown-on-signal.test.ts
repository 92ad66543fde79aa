import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../support/project-root';

// `npm test` stopped by a signal must stop the Kafka and Neo4j its setup started: the global
// setup hands its teardown to teardownOnSignal. Here a real process gets the real signal.

interface Stopped {
  signal: NodeJS.Signals | null;
  code: number | null;
  marker?: string;
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-signal-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A process whose teardown writes a marker file after `delayMs`; stopped by `signals`. */
async function stopWith(signals: NodeJS.Signals[], delayMs: number): Promise<Stopped> {
  const marker = join(dir, 'marker');
  const script = `
    const { appendFileSync } = require('node:fs');
    require('./test/support/teardown-on-signal').teardownOnSignal(
      () => new Promise((done) => setTimeout(() => {
        appendFileSync(${JSON.stringify(marker)}, 'stopped\\n');
        done();
      }, ${delayMs})),
    );
    console.log('ready');
    setInterval(() => undefined, 1000);
  `;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((ready) => child.stdout.once('data', () => ready()));
  const exited = new Promise<Stopped>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  for (const signal of signals) child.kill(signal);
  const stopped = await exited;
  return { ...stopped, ...(existsSync(marker) && { marker: readFileSync(marker, 'utf8') }) };
}

describe("a test run stopped by a signal stops the tests' infra first", () => {
  it('runs the teardown to its end on SIGTERM, then ends by that signal', async () => {
    expect(await stopWith(['SIGTERM'], 300)).toEqual({
      code: null,
      signal: 'SIGTERM',
      marker: 'stopped\n',
    });
  });

  it('tears down once when Ctrl-C is pressed twice, and ends by SIGINT', async () => {
    expect(await stopWith(['SIGINT', 'SIGINT'], 300)).toEqual({
      code: null,
      signal: 'SIGINT',
      marker: 'stopped\n',
    });
  });
});
