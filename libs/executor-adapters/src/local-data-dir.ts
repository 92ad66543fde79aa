import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { z } from 'zod';

/**
 * The data dir of a local service (`dataDir` of its config, given to every instance as
 * VIGIL_DATA_DIR): what outlives its processes, as a volume and a ConfigMap outlive a pod. The
 * adapter's treatments change these files and nothing else; the service reads them at start and
 * whenever they change. Contract (paths relative to the data dir, all JSON):
 * - `config/current.json`: the config the service runs, with `version` (an integer);
 *   `config/versions/<n>.json`: every version ever pushed (rollback-config copies one back).
 * - `volume/tmp/`: scratch files of the data volume (free-disk deletes them, nothing else).
 * - `locks/<name>.lock`: `{ holderPid, holder, since }` (release-lock removes one whose holder
 *   no longer runs on this machine).
 * - `credentials/<dependency>.json`: `{ user, secret, expiresAt }` (rotate-credentials issues new
 *   ones and keeps the old as `<dependency>.previous.json`).
 * - `cache/entries.json`: `{ key: entry }` of a cache service (clear-cache-key deletes one).
 * - `replication.json`: `{ primary, nodes: { name: { degraded } } }` of a store (failover makes
 *   another node primary).
 * - `release.json`: `{ current, previous }`, the release the adapter runs, so a restarted adapter
 *   starts instances on the release they were on.
 */
export const localDataLayout = {
  currentConfig: 'config/current.json',
  configVersion: (version: number) => `config/versions/${version}.json`,
  volumeTmp: 'volume/tmp',
  lock: (name: string) => `locks/${name}.lock`,
  credentialsOf: (dependency: string) => `credentials/${dependency}.json`,
  previousCredentialsOf: (dependency: string) => `credentials/${dependency}.previous.json`,
  cacheEntries: 'cache/entries.json',
  release: 'release.json',
  replication: 'replication.json',
} as const;

/** How long issued credentials last. */
export const credentialsLifetimeMs = 30 * 24 * 3600 * 1000;

const versioned = z.object({ version: z.number().int().min(1) }).passthrough();
const lockFile = z.object({
  holderPid: z.number().int().min(1),
  holder: z.string(),
  since: z.string(),
});
const credentials = z.object({ user: z.string().min(1) }).passthrough();
const entries = z.record(z.string(), z.unknown());
const replicationFile = z
  .object({
    primary: z.string().min(1),
    nodes: z.record(z.string(), z.object({ degraded: z.boolean().optional() }).passthrough()),
  })
  .passthrough();
const releaseFile = z.object({ current: z.string().min(1), previous: z.string().optional() });

export type DataDirResult = { ok: true; detail: string } | { ok: false; reason: string };

const fail = (reason: string): DataDirResult => ({ ok: false, reason });
const done = (detail: string): DataDirResult => ({ ok: true, detail });

/** Reads and writes the files of one service's data dir. */
export class LocalDataDir {
  constructor(readonly root: string) {}

  ensure(): void {
    mkdirSync(this.root, { recursive: true });
  }

  /** The config version the service runs, when it has a config file. */
  configVersion(): number | undefined {
    return this.readJson(localDataLayout.currentConfig, versioned)?.version;
  }

  /** What rollback-config would restore: the version asked for, or the one before the current. */
  rollbackConfigPlan(toVersion?: number): { from: number; to: number } | { reason: string } {
    const from = this.configVersion();
    if (from === undefined) return { reason: 'the service has no config versions' };
    const to = toVersion ?? from - 1;
    if (to === from) return { reason: `config version ${to} is already the current one` };
    if (to < 1 || !existsSync(this.path(localDataLayout.configVersion(to))))
      return { reason: `there is no config version ${to} to go back to` };
    return { from, to };
  }

  rollbackConfig(toVersion?: number): DataDirResult {
    const plan = this.rollbackConfigPlan(toVersion);
    if ('reason' in plan) return fail(plan.reason);
    const restored = this.readJson(localDataLayout.configVersion(plan.to), versioned);
    if (!restored) return fail(`config version ${plan.to} is not a config file`);
    this.writeJson(localDataLayout.currentConfig, restored);
    return done(`config ${plan.from} -> ${plan.to}`);
  }

  /** The scratch files of the volume and their size. */
  scratch(): { files: string[]; bytes: number } {
    const dir = this.path(localDataLayout.volumeTmp);
    if (!existsSync(dir)) return { files: [], bytes: 0 };
    const files = readdirSync(dir);
    const bytes = files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    return { files, bytes };
  }

  freeScratch(): DataDirResult {
    const { files, bytes } = this.scratch();
    const dir = this.path(localDataLayout.volumeTmp);
    for (const file of files) rmSync(join(dir, file), { recursive: true, force: true });
    return done(`deleted ${files.length} scratch file(s), ${bytes} bytes freed`);
  }

  /** Why a lock may not be released (missing, or its holder still runs), or its holder. */
  lockHolder(name: string): { holder: string; pid: number } | { reason: string } {
    const lock = this.readJson(localDataLayout.lock(name), lockFile);
    if (!lock) return { reason: `there is no lock ${name}` };
    if (processRuns(lock.holderPid))
      return {
        reason: `lock ${name} is held by ${lock.holder} (pid ${lock.holderPid}), which still runs: not stuck`,
      };
    return { holder: lock.holder, pid: lock.holderPid };
  }

  releaseLock(name: string): DataDirResult {
    const holder = this.lockHolder(name);
    if ('reason' in holder) return fail(holder.reason);
    rmSync(this.path(localDataLayout.lock(name)), { force: true });
    return done(`released lock ${name} of ${holder.holder} (pid ${holder.pid}, gone)`);
  }

  hasCredentials(dependency: string): boolean {
    return (
      plainFileName(dependency) && existsSync(this.path(localDataLayout.credentialsOf(dependency)))
    );
  }

  rotateCredentials(dependency: string, now = Date.now()): DataDirResult {
    // the name comes from a plan, and a plan's words may come from a log line: one file name only
    if (!plainFileName(dependency))
      return fail(`"${dependency}" is not a dependency name (one name, no path)`);
    const current = this.readJson(localDataLayout.credentialsOf(dependency), credentials);
    if (!current) return fail(`the service keeps no credentials for ${dependency}`);
    this.writeJson(localDataLayout.previousCredentialsOf(dependency), current);
    const expiresAt = new Date(now + credentialsLifetimeMs).toISOString();
    this.writeJson(localDataLayout.credentialsOf(dependency), {
      user: current.user,
      secret: randomBytes(18).toString('base64url'),
      expiresAt,
    });
    return done(`new credentials for ${dependency} (user ${current.user}) until ${expiresAt}`);
  }

  hasCacheKey(key: string): boolean {
    return Object.hasOwn(this.readJson(localDataLayout.cacheEntries, entries) ?? {}, key);
  }

  clearCacheKey(key: string): DataDirResult {
    const all = this.readJson(localDataLayout.cacheEntries, entries) ?? {};
    if (!Object.hasOwn(all, key)) return done(`cache key ${key} was not there`);
    delete all[key];
    this.writeJson(localDataLayout.cacheEntries, all);
    return done(`deleted cache key ${key}`);
  }

  /** The primary node of a store that keeps replication, else undefined. */
  primary(): string | undefined {
    return this.readJson(localDataLayout.replication, replicationFile)?.primary;
  }

  /** Where a failover goes: the node asked for, or the first other node that is not degraded. */
  failoverPlan(toReplica?: string): { from: string; to: string } | { reason: string } {
    const replication = this.readJson(localDataLayout.replication, replicationFile);
    if (!replication) return { reason: 'the service keeps no replication to fail over' };
    const others = Object.entries(replication.nodes).filter(([n]) => n !== replication.primary);
    const to = toReplica ?? others.find(([, node]) => !node.degraded)?.[0];
    if (!to) return { reason: `no healthy node to take over from ${replication.primary}` };
    if (!Object.hasOwn(replication.nodes, to))
      return {
        reason: `${to} is not a node (nodes: ${Object.keys(replication.nodes).join(', ')})`,
      };
    if (to === replication.primary) return { reason: `${to} is already the primary` };
    return { from: replication.primary, to };
  }

  failover(toReplica?: string): DataDirResult {
    const plan = this.failoverPlan(toReplica);
    if ('reason' in plan) return fail(plan.reason);
    const replication = this.readJson(localDataLayout.replication, replicationFile);
    this.writeJson(localDataLayout.replication, { ...replication, primary: plan.to });
    return done(`primary ${plan.from} -> ${plan.to}`);
  }

  readRelease(): { current: string; previous?: string } | undefined {
    return this.readJson(localDataLayout.release, releaseFile);
  }

  writeRelease(current: string, previous: string | undefined): void {
    this.writeJson(localDataLayout.release, { current, ...(previous ? { previous } : {}) });
  }

  /** A path inside the data dir; anything that would lead out of it is refused. */
  private path(relative: string): string {
    const full = resolve(this.root, relative);
    if (!full.startsWith(resolve(this.root) + sep))
      throw new Error(`${relative} leads out of the data dir ${this.root}`);
    return full;
  }

  private readJson<T>(relative: string, schema: z.ZodType<T>): T | undefined {
    try {
      const parsed = schema.safeParse(JSON.parse(readFileSync(this.path(relative), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined; // missing or half-written: as if absent
    }
  }

  /** Written aside and renamed, so a reader never sees half a file. */
  private writeJson(relative: string, value: unknown): void {
    const target = this.path(relative);
    mkdirSync(dirname(target), { recursive: true });
    const aside = `${target}.${process.pid}.tmp`;
    writeFileSync(aside, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(aside, target);
  }
}

/** Whether a process with this pid runs on this machine (EPERM: it runs, as someone else). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One file name: no separator, not `.` or `..`. */
function plainFileName(name: string): boolean {
  return name.length > 0 && !/[/\\]/.test(name) && name !== '.' && name !== '..';
}
