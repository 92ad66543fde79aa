#!/usr/bin/env node
// Builds pinned Prometheus and Alertmanager from the Go module proxy into <VIGIL_HOME>/bin.
//
//   node infra/local/go-tools.mjs                      build what is missing or out of date
//   node infra/local/go-tools.mjs --only alertmanager  just alertmanager + amtool
//   node infra/local/go-tools.mjs --only prometheus    just prometheus + promtool
//   node infra/local/go-tools.mjs --verify             re-hash the installed binaries; build nothing
//
// Also importable: ensureGoTools({ only, log }) resolves { bin, tools: { name: { version, binaries } } }.
//
// Each tool is built from a copy of its module (as `go mod download` stores it) in a temporary
// folder under bin/, then moved into place, and only then recorded in bin/versions.json with the
// module's go.sum hash and each binary's SHA-256. A binary that does not match its record, or a
// record of another version, means "build again": nothing half-built is ever taken for done.
// Interrupted (SIGINT, SIGTERM, SIGHUP), a build stops `go`, removes its folder and the lock, then
// dies of the signal; what a killed process (SIGKILL, power loss) leaves is removed at the next
// start, as soon as no live process holds the lock.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './lib/config.mjs';
import { InfraError } from './lib/errors.mjs';

export { InfraError };

/** The Go version the newest of the two modules asks for in its go.mod. */
const MIN_GO = [1, 26];

/**
 * Pinned modules. `sum` is the module's go.sum hash (h1:, what `go mod download -json` prints),
 * checked here on top of Go's own checksum-database check.
 * Prometheus 3.x is published on the module proxy as v0.3xx.y (3.16.0 is v0.316.0).
 */
export const GO_TOOLS = {
  alertmanager: {
    module: 'github.com/prometheus/alertmanager',
    version: 'v0.35.0',
    release: '0.35.0',
    sum: 'h1:nbXMjr+P2JaoFd7aHNDxKifEwTPN+TWxM0gNPonuH5w=',
    binaries: { alertmanager: './cmd/alertmanager', amtool: './cmd/amtool' },
    // The module has no UI bundle (it is built by npm in their release process) but
    // ui/web.go embeds ui/app/dist: give it a placeholder page. The API, which is all Vigil
    // uses, does not need the UI.
    prepare(dir) {
      const dist = path.join(dir, 'ui', 'app', 'dist');
      fs.mkdirSync(dist, { recursive: true });
      fs.writeFileSync(
        path.join(dist, 'index.html'),
        '<!doctype html><title>Alertmanager</title><p>Built by Vigil without the web UI; the API is at /api/v2/.</p>\n',
      );
    },
  },
  prometheus: {
    module: 'github.com/prometheus/prometheus',
    version: 'v0.316.0',
    release: '3.16.0',
    sum: 'h1:f1GRFerhTMKQma+awCoC9T820ecWeGSdF+xAlMHzZzM=',
    binaries: { prometheus: './cmd/prometheus', promtool: './cmd/promtool' },
    // Prometheus' documented build tag for a build without the optional service discoveries
    // (Kubernetes, the clouds, Consul...): file, static and HTTP discovery stay, and the demo and
    // the tests find the shop through file_sd. It leaves out most of the dependencies, so the
    // first build on a machine takes a fraction of the time. The docker-compose images are the
    // official full builds.
    tags: ['remove_all_sd'],
    // Without the `builtinassets` build tag the web UI is read from web/ui/static at run time
    // (absent here, so the UI pages are missing); the HTTP API works. Nothing to prepare.
    prepare() {},
  },
};

const defaultLog = (msg) => console.log(`[vigil-go-tools] ${msg}`);

export function binDir() {
  const vigilHome = process.env.VIGIL_HOME
    ? path.resolve(process.env.VIGIL_HOME)
    : path.join(REPO_ROOT, '.vigil');
  return path.join(vigilHome, 'bin');
}

const versionsFile = () => path.join(binDir(), 'versions.json');
const retryHint = (name) => `retry with: node infra/local/go-tools.mjs --only ${name}`;

function readVersions() {
  try {
    return JSON.parse(fs.readFileSync(versionsFile(), 'utf8'));
  } catch {
    return {};
  }
}

/** Written next to the final file, then renamed: a reader never sees half a file. */
function writeVersions(versions) {
  const tmp = `${versionsFile()}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(versions, null, 2)}\n`);
  fs.renameSync(tmp, versionsFile());
}

function sha256File(file) {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let n;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Why the installed build of a tool cannot be used, or null when it can. */
function staleReason(name, versions = readVersions()) {
  const tool = GO_TOOLS[name];
  const rec = versions[name];
  if (!rec) return 'not built yet';
  if (rec.module !== tool.module || rec.version !== tool.version)
    return `built ${rec.module}@${rec.version}, pinned ${tool.module}@${tool.version}`;
  if (buildTags(rec) !== buildTags(tool))
    return `built with tags "${buildTags(rec)}", pinned "${buildTags(tool)}"`;
  for (const bin of Object.keys(tool.binaries)) {
    const file = path.join(binDir(), bin);
    if (!fs.existsSync(file)) return `${file} is missing`;
    if (rec.binaries?.[bin]?.sha256 !== sha256File(file))
      return `${file} does not match its recorded SHA-256`;
  }
  return null;
}

/** A tool's or a build record's Go build tags as `go build -tags` takes them. */
function buildTags(toolOrRecord) {
  return (toolOrRecord.tags ?? []).join(',');
}

function goEnv() {
  // -mod=mod: the copied module may need go.sum lines for its own build; GOWORK=off: the
  // Prometheus module ships a go.work naming folders the module zip does not contain.
  const userFlags = (process.env.GOFLAGS ?? '').split(/\s+/).filter((f) => f && !/^-mod=/.test(f));
  return {
    ...process.env,
    GOWORK: 'off',
    GOFLAGS: [...userFlags, '-mod=mod'].join(' '),
    CGO_ENABLED: process.env.CGO_ENABLED ?? '0',
  };
}

/** Which `go` runs, for messages: its path on PATH. */
function goPath() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir || '.', 'go');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      /* not here */
    }
  }
  return 'not found';
}

function checkGo() {
  const r = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', env: goEnv() });
  if (r.error || r.status !== 0) {
    throw new InfraError(
      `step "check go": Go not found on PATH. Install Go ${MIN_GO.join('.')}+ (the golang package or the official tarball), then retry with: node infra/local/go-tools.mjs`,
    );
  }
  const m = /go(\d+)\.(\d+)/.exec(r.stdout);
  const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new InfraError(
      `step "check go": ${r.stdout.trim()} is too old, the pinned modules need Go ${MIN_GO.join('.')}+ (or set GOTOOLCHAIN=auto to let go fetch one)`,
    );
  }
  return r.stdout.trim();
}

/** `go mod download -json`: the module's folder in the module cache, checked against the pin. */
function download(name) {
  const tool = GO_TOOLS[name];
  const ref = `${tool.module}@${tool.version}`;
  const r = spawnSync('go', ['mod', 'download', '-json', ref], {
    encoding: 'utf8',
    env: goEnv(),
    cwd: binDir(),
    maxBuffer: 16 * 1024 * 1024,
  });
  // Ctrl-C reaches `go` too, and this process's handler only after spawnSync returns
  if (r.signal)
    throw new InfraError(`step "download ${ref}" interrupted (${r.signal}). ${retryHint(name)}`);
  let info = {};
  try {
    info = JSON.parse(r.stdout);
  } catch {
    /* reported below */
  }
  if (r.status !== 0 || info.Error || !info.Dir) {
    // `||`, not `??`: an empty stderr says nothing either
    const why = info.Error || r.stderr?.trim() || r.error?.message || 'no output';
    throw new InfraError(
      `step "download ${ref}" failed: ${why}\n` +
        `  (GOPROXY=${goEnv().GOPROXY ?? 'default'}; check that the Go module proxy is reachable) ${retryHint(name)}`,
    );
  }
  if (info.Sum !== tool.sum) {
    throw new InfraError(
      `step "download ${ref}": its hash is ${info.Sum}, pinned ${tool.sum}. The module cache may be corrupt: run \`go clean -modcache\`, then ${retryHint(name)}`,
    );
  }
  return info;
}

/** Runs `go build`, output to logFile, a progress line every 30 s. */
function goBuild(name, srcDir, outDir, logFile, log) {
  const tool = GO_TOOLS[name];
  const ldflags = `-s -w -X github.com/prometheus/common/version.Version=${tool.release} -X github.com/prometheus/common/version.Branch=vigil-pinned`;
  const args = [
    'build',
    '-trimpath',
    ...(buildTags(tool) ? [`-tags=${buildTags(tool)}`] : []),
    `-ldflags=${ldflags}`,
    '-o',
    `${outDir}${path.sep}`,
    ...Object.values(tool.binaries),
  ];
  const out = fs.openSync(logFile, 'w');
  fs.writeSync(out, `go ${args.join(' ')}\n(in ${srcDir})\n`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // its own process group: a signal to this process stops `go` and the compilers it runs
    // together (killGo), and none of them outlives an interrupted build
    const child = spawn('go', args, {
      cwd: srcDir,
      env: goEnv(),
      stdio: ['ignore', out, out],
      detached: true,
    });
    building.child = child;
    const timer = setInterval(
      () => log(`  ${name}: still building (${Math.round((Date.now() - started) / 1000)} s)`),
      30_000,
    );
    const done = (err) => {
      clearInterval(timer);
      building.child = null;
      fs.closeSync(out);
      if (err) reject(err);
      else resolve((Date.now() - started) / 1000);
    };
    child.once('error', done);
    child.once('exit', (code, signal) => {
      if (building.interrupted) return done(interruptedError(name));
      if (code === 0) return done();
      done(
        new InfraError(
          `step "go build ${name}" failed (${signal ?? `exit ${code}`}); full log: ${logFile}\n${logTail(logFile)}\n${retryHint(name)}`,
        ),
      );
    });
  });
}

const lockFile = () => path.join(binDir(), '.build.lock');

function logTail(logFile) {
  try {
    return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
  } catch {
    return '(no build log)';
  }
}

/** When a process started (clock ticks since boot, /proc/<pid>/stat), or null without /proc. */
function startTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count from the last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** What a lock holds: `<pid> <start ticks>`, so a pid the system gave to another process since is not taken for the builder. */
const lockContent = () => `${process.pid} ${startTicks(process.pid) ?? ''}`.trim();

/** The pid of the live process holding the lock, or null when nobody (or a dead process) does. */
function lockHolder() {
  let text;
  try {
    text = fs.readFileSync(lockFile(), 'utf8').trim();
  } catch {
    return null; // no lock, or just released
  }
  const [pidText, ticks] = text.split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return null; // half-written by a killed process
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code !== 'EPERM') return null;
  }
  if (ticks && startTicks(pid) !== null && startTicks(pid) !== ticks) return null; // pid reused
  return pid;
}

/**
 * Creates the lock with its content at once, or false when it exists: written to a file of this
 * process first, then linked to the lock's name (a link fails when the name exists). A lock made
 * by `wx` is empty for a moment, and a reader then takes it for a dead holder's.
 */
function createLock() {
  const mine = `${lockFile()}.${process.pid}`;
  fs.writeFileSync(mine, lockContent());
  try {
    fs.linkSync(mine, lockFile());
    return true;
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
    return false;
  } finally {
    fs.rmSync(mine, { force: true });
  }
}

/**
 * Takes the lock if it is free, or held by a dead process; false when a live process holds it.
 * A dead holder's lock is taken over by one process at a time: two that both found it dead
 * would otherwise each remove it, the second removing the first's fresh lock, and build at once.
 */
function tryLock() {
  if (createLock()) return true;
  const holder = lockHolder();
  if (holder !== null && holder !== process.pid) return false;
  if (!startTakeover()) return false; // another process is taking it over: wait for it
  try {
    const now = lockHolder(); // looked at again: the lock may have changed hands since
    if (now !== null && now !== process.pid) return false;
    fs.rmSync(lockFile(), { force: true });
    return createLock();
  } finally {
    endTakeover();
  }
}

const takeoverFile = () => `${lockFile()}.takeover`;

/**
 * Creates the takeover mark (holding this process's pid), or false when another process holds
 * it. A takeover lasts milliseconds: a mark older than 30 s is from a process killed during one,
 * and is moved aside to a name of this process's before it is removed, so a fresh mark another
 * process made meanwhile is never the one removed.
 */
function startTakeover() {
  try {
    fs.writeFileSync(takeoverFile(), String(process.pid), { flag: 'wx' });
    return true;
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
  }
  try {
    if (Date.now() - fs.statSync(takeoverFile()).mtimeMs > 30_000) {
      const aside = `${takeoverFile()}.${process.pid}`;
      fs.renameSync(takeoverFile(), aside);
      // a fresh mark moved by mistake goes back (unless yet another was made: that one stands)
      if (Date.now() - fs.statSync(aside).mtimeMs <= 30_000) fs.linkSync(aside, takeoverFile());
    }
  } catch {
    // gone meanwhile, or put back: the next try sees
  } finally {
    fs.rmSync(`${takeoverFile()}.${process.pid}`, { force: true });
  }
  return false;
}

/** Removes the takeover mark if it is this process's. */
function endTakeover() {
  try {
    if (fs.readFileSync(takeoverFile(), 'utf8') === String(process.pid))
      fs.rmSync(takeoverFile(), { force: true });
  } catch {
    // already gone
  }
}

/** Build folders (.build-<tool>-*) in bin/: only a build holding the lock has one. */
function removeBuildFolders() {
  for (const entry of fs.readdirSync(binDir()))
    if (entry.startsWith('.build-'))
      fs.rmSync(path.join(binDir(), entry), { recursive: true, force: true });
}

/**
 * At every start: what a killed build left (its folder, a lock whose process is dead) is removed,
 * unless a live process holds the lock (it is building: its folder is in use).
 */
function removeLeftovers(log) {
  const leftovers = fs.readdirSync(binDir()).filter((e) => e.startsWith('.build-'));
  if (leftovers.length === 0 && !fs.existsSync(lockFile())) return;
  if (!tryLock()) return;
  try {
    if (leftovers.length > 0)
      log(`removing what an interrupted build left in ${binDir()}: ${leftovers.join(', ')}`);
    removeBuildFolders();
  } finally {
    fs.rmSync(lockFile(), { force: true });
  }
}

/** The build in progress in this process: its `go` child, its folder, and a signal that stopped it. */
const building = { child: null, work: null, interrupted: null, fallback: null };

const interruptedError = (name) =>
  new InfraError(
    `step "go build ${name}" interrupted (${building.interrupted}); its build folder and the lock were removed. ${retryHint(name)}`,
  );

/** Signals `go` and everything it started (its process group). */
function killGo(signal) {
  const child = building.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal); // no group (it is gone, or not ours): the process itself
  }
}

/** Stops the build at once on a signal: `go` first, then the folder and the lock go with it. */
function onSignal(signal) {
  const exitNow = () => {
    removeOwnLeftovers();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
  };
  if (building.interrupted) return exitNow(); // asked twice: no more waiting for `go`
  building.interrupted = signal;
  defaultLog(`${signal}: stopping the build and removing its folder`);
  killGo(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  // the unwinding (goBuild's exit, build's and withLock's finally) removes the folder and the
  // lock; should `go` not stop, do it here
  building.fallback = setTimeout(exitNow, 10_000).unref();
}

/** Synchronous, for process exit: `go`, this process's build folder and lock, whatever happened. */
function removeOwnLeftovers() {
  killGo('SIGKILL');
  if (building.work) fs.rmSync(building.work, { recursive: true, force: true });
  if (lockHolder() === process.pid) fs.rmSync(lockFile(), { force: true });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** One build at a time per bin folder (a CLI and a test may ask at once); stale locks are taken over. */
async function withLock(fn, log) {
  for (let waited = 0; !tryLock(); waited++) {
    if (waited % 30 === 0) log(`waiting for the build in process ${lockHolder()} (${lockFile()})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  building.interrupted = null;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', removeOwnLeftovers);
  try {
    // Holding the lock, any build folder left here is from a build that was killed.
    removeBuildFolders();
    return await fn();
  } finally {
    fs.rmSync(lockFile(), { force: true });
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    process.removeListener('exit', removeOwnLeftovers);
    clearTimeout(building.fallback);
    const signal = building.interrupted;
    // Nobody else listens (the CLI): die of the signal, as without the handler. Otherwise (an
    // importer with handlers of its own) the InfraError thrown by the build tells it.
    if (signal && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }
}

async function build(name, log) {
  const tool = GO_TOOLS[name];
  const dir = binDir();
  const work = fs.mkdtempSync(path.join(dir, `.build-${name}-`));
  building.work = work;
  // between the steps that block (download, copy), a signal that came in stops the build
  const stopIfInterrupted = () => {
    if (building.interrupted) throw interruptedError(name);
  };
  try {
    log(`${name}: downloading ${tool.module}@${tool.version} from the Go module proxy`);
    const info = download(name);
    stopIfInterrupted();
    const src = path.join(work, 'src');
    try {
      // The module cache is read-only and shared: build from a writable copy.
      fs.cpSync(info.Dir, src, { recursive: true });
      fs.chmodSync(src, 0o755);
      for (const entry of fs.readdirSync(src, { recursive: true })) {
        const p = path.join(src, entry);
        fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
      }
      tool.prepare(src);
    } catch (err) {
      throw new InfraError(`step "copy ${info.Dir}" failed: ${err.message}\n  ${retryHint(name)}`);
    }
    stopIfInterrupted();
    const logDir = path.join(dir, 'logs');
    fs.mkdirSync(logDir, { recursive: true });
    const logFile = path.join(logDir, `${name}-build.log`);
    log(`${name}: go build ${Object.keys(tool.binaries).join(', ')} (log: ${logFile})`);
    const outDir = path.join(work, 'out');
    fs.mkdirSync(outDir);
    const seconds = await goBuild(name, src, outDir, logFile, log);
    // `go build` exits 0 only when it wrote them all; a wrapper or a changed toolchain may not
    const missing = Object.keys(tool.binaries).filter((b) => !fs.existsSync(path.join(outDir, b)));
    if (missing.length > 0)
      throw new InfraError(
        `step "go build ${name}" exited 0 but wrote no ${missing.join(', ')} into ${outDir}; ` +
          `nothing was installed. Check \`go\` on PATH (${goPath()}); full log: ${logFile}\n` +
          `${logTail(logFile)}\n${retryHint(name)}`,
      );
    const binaries = {};
    for (const bin of Object.keys(tool.binaries)) {
      const file = path.join(outDir, bin);
      try {
        binaries[bin] = { sha256: sha256File(file), bytes: fs.statSync(file).size };
      } catch (err) {
        throw new InfraError(
          `step "hash ${bin}" failed: ${err.message}; nothing was installed. ${retryHint(name)}`,
        );
      }
    }
    // Forget the old record first: a crash between the renames below leaves "rebuild", never
    // a new binary passing for an old record or the other way round.
    const versions = readVersions();
    delete versions[name];
    writeVersions(versions);
    for (const bin of Object.keys(binaries))
      fs.renameSync(path.join(outDir, bin), path.join(dir, bin));
    versions[name] = {
      module: tool.module,
      version: tool.version,
      release: tool.release,
      ...(tool.tags && { tags: tool.tags }),
      moduleSum: info.Sum,
      go: checkGo(),
      builtAt: new Date().toISOString(),
      buildSeconds: Math.round(seconds),
      binaries,
    };
    writeVersions(versions);
    log(`${name} ${tool.release} built in ${Math.round(seconds)} s`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    building.work = null;
  }
}

function selected(only) {
  if (!only) return Object.keys(GO_TOOLS);
  if (!GO_TOOLS[only])
    throw new InfraError(`unknown tool "${only}" (expected ${Object.keys(GO_TOOLS).join(' or ')})`);
  return [only];
}

function describe(names) {
  const versions = readVersions();
  const tools = {};
  for (const name of names) {
    tools[name] = {
      version: GO_TOOLS[name].version,
      release: GO_TOOLS[name].release,
      binaries: Object.fromEntries(
        Object.keys(GO_TOOLS[name].binaries).map((b) => [b, path.join(binDir(), b)]),
      ),
      buildSeconds: versions[name]?.buildSeconds,
    };
  }
  return { bin: binDir(), tools };
}

/** Builds what is missing or stale. Resolves where the binaries are; throws InfraError on failure. */
export async function ensureGoTools({ only, log = defaultLog } = {}) {
  const names = selected(only);
  fs.mkdirSync(binDir(), { recursive: true });
  removeLeftovers(log);
  const todo = names.filter((n) => staleReason(n) !== null);
  if (todo.length === 0) return describe(names);
  checkGo();
  await withLock(async () => {
    // Another process may have built them while this one waited for the lock.
    for (const name of todo) {
      const reason = staleReason(name);
      if (reason === null) continue;
      log(`${name}: ${reason}; building (first time only)`);
      await build(name, log);
    }
  }, log);
  return describe(names);
}

/** Re-hashes installed binaries against versions.json; returns the problems found. */
export function verifyGoTools({ only } = {}) {
  return selected(only)
    .map((name) => [name, staleReason(name)])
    .filter(([, reason]) => reason !== null)
    .map(([name, reason]) => `${name}: ${reason}`);
}

function parseArgs(argv) {
  let only;
  let verify = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') only = argv[++i];
    else if (argv[i].startsWith('--only=')) only = argv[i].slice('--only='.length);
    else if (argv[i] === '--verify') verify = true;
    else throw new InfraError(`unknown argument ${argv[i]}`);
  }
  return { only, verify };
}

async function main(argv) {
  const { only, verify } = parseArgs(argv);
  if (verify) {
    const problems = verifyGoTools({ only });
    for (const p of problems) console.error(`[vigil-go-tools] ${p}`);
    if (problems.length === 0) defaultLog(`all binaries in ${binDir()} match versions.json`);
    return problems.length === 0 ? 0 : 1;
  }
  const result = await ensureGoTools({ only });
  for (const [name, t] of Object.entries(result.tools))
    defaultLog(`${name} ${t.release} (${t.version}): ${Object.values(t.binaries).join(', ')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`[vigil-go-tools] ${err instanceof InfraError ? err.message : err.stack}`);
      process.exit(1);
    },
  );
}
