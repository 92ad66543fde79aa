import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const scripts = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

/** The scripts that run a process for long: a service, a bench, the demo, the tests, the CLI. */
const longRunning = Object.keys(scripts).filter(
  (name) =>
    /^(start|bench):/.test(name) ||
    ['setup', 'demo', 'test', 'test:unit', 'test:integration', 'vigil', 'console:dev'].includes(
      name,
    ),
);

describe('npm scripts (docs/running.md)', () => {
  // npm hands a SIGTERM to the shell that runs the script; the shell dies and whatever it started
  // runs on, orphaned. exec makes the process itself the one npm started.
  it('exec the process each long-running script starts, so a SIGTERM to npm reaches it', () => {
    expect(longRunning.length).toBeGreaterThan(30);
    const notExecuted = longRunning.filter((name) => {
      const last = scripts[name].split('&&').pop() ?? '';
      return !last.trimStart().startsWith('exec ');
    });
    expect(notExecuted).toEqual([]);
  });

  // `npm exec` (npx) runs a bin under `sh -c`, which neither forwards a SIGTERM nor execs: npx
  // dies, and Jest runs on orphaned (seen: the tests' Kafka and Neo4j kept running with it)
  it('exec the bin itself at the end of npm test, not npx', () => {
    const testScript = readFileSync(join(__dirname, '..', 'infra', 'test.sh'), 'utf8');
    const execs = testScript.split('\n').filter((line) => line.startsWith('exec '));
    expect(execs).toEqual(['exec node_modules/.bin/jest --ci "$@"']);
  });
});
