import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { glibcTunables, JEMALLOC_PATHS, prefersJemalloc } from './service-allocator';
import { serviceNodeFlags } from './service-node-flags';

const root = join(__dirname, '..', '..', '..');
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

describe('the V8 flags each service runs with', () => {
  it('caps the young generation of the services that only steer, not of the data path', () => {
    expect(serviceNodeFlags('ruler')).toEqual(['--max-semi-space-size=4']);
    expect(serviceNodeFlags('executor')).toEqual(['--max-semi-space-size=4']);
    expect(serviceNodeFlags('ingest')).toEqual([]);
    expect(serviceNodeFlags('correlator')).toEqual([]);
    expect(serviceNodeFlags('all-in-one')).toEqual([]);
  });

  // exec: npm passes a SIGTERM to the shell running the script, which would die and leave the
  // service running; exec'd, the service is that process and shuts down in order
  it('are the flags and allocator of every npm start script, which execs the service, so a service started by hand runs as measured and stops when npm is told to', () => {
    const starts = Object.entries(scripts).filter(([name]) => name.startsWith('start:'));
    expect(starts.length).toBeGreaterThan(10);
    for (const [name, script] of starts) {
      const app = name.slice('start:'.length);
      const tunables = Object.entries(glibcTunables(app)).map(([k, v]) => `${k}=${v}`);
      const jemalloc = prefersJemalloc(app) ? ['bash', 'infra/local/with-allocator.sh'] : [];
      const node = [
        ...tunables,
        ...jemalloc,
        'node',
        ...serviceNodeFlags(app),
        `dist/apps/${app}/src/main.js`,
      ];
      expect(`${name}: ${script}`).toBe(
        `${name}: node infra/build/compile.mjs --quiet && exec ${node.join(' ')}`,
      );
    }
  });

  it('start natively allocating services through a script that looks for jemalloc where the services do', () => {
    const launcher = readFileSync(join(root, 'infra', 'local', 'with-allocator.sh'), 'utf8');
    for (const path of JEMALLOC_PATHS) expect(launcher).toContain(path);
  });
});
