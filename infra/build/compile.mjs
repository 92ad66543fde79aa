#!/usr/bin/env node
// Compiles every Vigil app and the libs they use into dist/ with one tsc pass, so services run as
// `node dist/apps/NAME/src/main.js` without ts-node.
//
//   node infra/build/compile.mjs [--quiet]
//
// tsc's build mode keeps it incremental: when nothing changed since the last build it only compares
// timestamps (well under a second), so every start script can call it first. The `@vigil/*` path
// aliases of tsconfig.base.json become small packages in dist/node_modules/@vigil/, which Node
// finds by walking up from dist/apps/... and dist/libs/..., so the compiled code needs no
// tsconfig-paths at run time. A lock keeps two builds started at once (a demo and a benchmark)
// from writing the same files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = path.join(root, 'dist');
const lockDir = path.join(dist, '.build-lock');
const quiet = process.argv.includes('--quiet');
const lockWaitMs = 300_000;
// a build never takes this long: a lock this old was left by a killed build
const staleLockMs = 180_000;

let locked = false;
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function lock() {
  fs.mkdirSync(dist, { recursive: true });
  const until = Date.now() + lockWaitMs;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      locked = true;
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (age > staleLockMs) fs.rmSync(lockDir, { recursive: true, force: true });
    else if (Date.now() > until)
      throw new Error(`another build holds ${lockDir}; remove it if no build is running`);
    else sleep(200);
  }
}

const unlock = () => locked && fs.rmSync(lockDir, { recursive: true, force: true });

/** One package per `@vigil/*` alias, its main the compiled entry of the lib. */
function writeAliasPackages() {
  const base = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  const aliases = Object.entries(base.compilerOptions.paths ?? {});
  for (const [name, [source]] of aliases) {
    const pkgDir = path.join(dist, 'node_modules', ...name.split('/'));
    const entry = path.join(dist, source.replace(/\.ts$/, '.js'));
    const pkg = { name, private: true, main: path.relative(pkgDir, entry) };
    const file = path.join(pkgDir, 'package.json');
    const text = `${JSON.stringify(pkg, null, 2)}\n`;
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
    fs.mkdirSync(pkgDir, { recursive: true });
    fs.writeFileSync(file, text);
  }
  return aliases.length;
}

function tscBuild() {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error(`tsc -b tsconfig.build.json failed (exit ${result.status ?? result.signal})`);
}

/** The sources tsconfig.build.json compiles (its include less its exclude), from the root. */
function sources() {
  const skip = (name) => name === 'testing' || name === '__fixtures__';
  const walk = (dir) =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return skip(entry.name) ? [] : walk(file);
      const ts = entry.name.endsWith('.ts') && !/\.(spec|d)\.ts$/.test(entry.name);
      return ts ? [file] : [];
    });
  return ['apps', 'libs'].flatMap((top) =>
    fs
      .readdirSync(path.join(root, top))
      .filter((name) => fs.existsSync(path.join(root, top, name, 'src')))
      .flatMap((name) => walk(path.join(top, name, 'src'))),
  );
}

const missingOutputs = () =>
  sources().filter((file) => !fs.existsSync(path.join(dist, file.replace(/\.ts$/, '.js'))));

/**
 * tsc's build mode trusts dist/.tsbuildinfo: a compiled file deleted by hand (or a dist/ half
 * cleaned) is not rebuilt while the sources are unchanged, so outputs are checked, and a build
 * with some missing starts over.
 */
function compile() {
  tscBuild();
  if (missingOutputs().length === 0) return;
  fs.rmSync(path.join(dist, '.tsbuildinfo'), { force: true });
  tscBuild();
  const missing = missingOutputs();
  if (missing.length > 0) throw new Error(`tsc wrote no ${missing.slice(0, 3).join(', ')} ...`);
}

const started = Date.now();
try {
  lock();
  process.once('SIGINT', () => (unlock(), process.exit(130)));
  process.once('SIGTERM', () => (unlock(), process.exit(143)));
  compile();
  const libs = writeAliasPackages();
  if (!quiet)
    process.stdout.write(
      `build: dist/ ready (${libs} libs) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
} catch (error) {
  process.stderr.write(`build: ${error.message}\n`);
  process.exitCode = 1;
} finally {
  unlock();
}
