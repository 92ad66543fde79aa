import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import {
  cacheEntriesSchema,
  cleanView,
  credentialsFileSchema,
  dataDirLayout,
  defaultShopConfig,
  dependencyRefusal,
  lockFileSchema,
  overCapacity,
  persistedEffect,
  replicationSchema,
  shopConfigSchema,
  type PersistedEffect,
  type PersistedFault,
  type PersistedView,
  type ShopConfig,
} from '@vigil/demo-shop';
import type { CallResult, ShopHttpClient } from '@vigil/demo-shop-client';

/** How often an instance reads its data dir again: a change there shows within this. */
export const refreshMs = 1_000;

/**
 * What this service keeps outside its processes, in its data dir (VIGIL_DATA_DIR): read at start
 * and every second, so a restart keeps a fault held there and a treatment that changes the files
 * cures it without one. Without a data dir the instance runs on the default config.
 */
export class PersistedFaults {
  view: PersistedView = cleanView;
  private timer?: NodeJS.Timeout;
  private readonly started: number[] = [];

  constructor(
    private readonly dataDir: string | undefined,
    private readonly service: { name: string; kind: string },
  ) {}

  start(): void {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** What the persisted state or the instance's capacity does to this request. */
  effect(now: number, random: number): PersistedEffect | undefined {
    while (this.started.length > 0 && (this.started[0] ?? 0) <= now - 1_000) this.started.shift();
    if (overCapacity(this.view, this.started.length))
      return {
        waitMs: 0,
        failure: {
          status: 503,
          message: `over capacity: ${this.started.length} requests in the last second, this instance serves ${this.view.config.capacityRps}`,
        },
      };
    this.started.push(now);
    return persistedEffect(this.view, this.service, random);
  }

  /**
   * A call to a dependency as the config says: its address, its timeout, its credentials.
   * `headers` go with the request (the trace's context).
   */
  async call(
    client: ShopHttpClient,
    dependency: string,
    route: string,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<CallResult> {
    const refused = dependencyRefusal(this.view, dependency, Date.now());
    if (refused) return { ok: false, reason: refused };
    const { timeoutMs, downstreams } = this.view.config;
    const url = downstreams[dependency];
    const call = url
      ? callUrl(`${url}/api/${route}`, headers)
      : client.call(dependency, route, headers);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<CallResult>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({ ok: false, reason: `${dependency} ${route} timed out after ${timeoutMs} ms` }),
        timeoutMs,
      );
    });
    const result = await Promise.race([call, timedOut]);
    clearTimeout(timer);
    return result;
  }

  /** Reads the data dir again; a file that does not parse counts as absent. */
  refresh(): void {
    if (!this.dataDir) return;
    const config = this.read(dataDirLayout.currentConfig, shopConfigSchema) ?? defaultShopConfig;
    const replication = this.read(dataDirLayout.replication, replicationSchema);
    const degraded = replication?.nodes[replication.primary]?.degraded ?? false;
    this.view = {
      ...(degraded && replication ? { degradedPrimary: replication.primary } : {}),
      config,
      volumeUsedBytes: folderBytes(this.path(dataDirLayout.volume)),
      stuckLocks: this.jsonFiles(dataDirLayout.locks, '.lock')
        .map((name) => ({ name, lock: this.read(dataDirLayout.lock(name), lockFileSchema) }))
        .flatMap(({ name, lock }) => (lock && !runs(lock.holderPid) ? [{ name, lock }] : [])),
      credentials: Object.fromEntries(
        this.jsonFiles(dataDirLayout.credentials, '.json')
          .filter((name) => !name.endsWith('.previous'))
          .flatMap((name) => {
            const found = this.read(dataDirLayout.credentialsOf(name), credentialsFileSchema);
            return found ? [[name, found] as const] : [];
          }),
      ),
      poisonedKeys: Object.entries(this.read(dataDirLayout.cacheEntries, cacheEntriesSchema) ?? {})
        .filter(([, entry]) => entry.poisoned)
        .map(([key]) => key),
    };
  }

  /** Writes a fault into the data dir, as a careless push or a failing disk would leave it. */
  inject(fault: PersistedFault): string {
    if (!this.dataDir) throw new Error(`${this.service.name} has no data dir (VIGIL_DATA_DIR)`);
    const done = this.write(fault);
    this.refresh();
    return done;
  }

  /** Deletes the cache entries a flush pattern (`*` as a wildcard) matches. */
  flush(keyPattern: string): number {
    const entries = this.read(dataDirLayout.cacheEntries, cacheEntriesSchema);
    if (!entries) return 0;
    const pattern = new RegExp(`^${keyPattern.split('*').map(escape).join('.*')}$`);
    const gone = Object.keys(entries).filter((key) => pattern.test(key));
    for (const key of gone) delete entries[key];
    if (gone.length) this.writeJson(dataDirLayout.cacheEntries, entries);
    this.refresh();
    return gone.length;
  }

  private write(fault: PersistedFault): string {
    const now = new Date();
    switch (fault.kind) {
      case 'config':
        return this.pushConfig(fault.patch);
      case 'fill-volume': {
        const missing = Math.max(1, this.view.config.volumeQuotaBytes - this.view.volumeUsedBytes);
        const file = join(dataDirLayout.volumeTmp, `fill-${now.getTime()}.bin`);
        this.ensureDir(dirname(file));
        writeFileSync(this.path(file), Buffer.alloc(missing, 0x61));
        return `wrote ${missing} bytes to ${file}`;
      }
      case 'poison-cache-key': {
        const entries = this.read(dataDirLayout.cacheEntries, cacheEntriesSchema) ?? {};
        entries[fault.key] = { value: '\u00ff\u00fe', poisoned: true };
        this.writeJson(dataDirLayout.cacheEntries, entries);
        return `poisoned cache key ${fault.key}`;
      }
      case 'stuck-lock':
        this.writeJson(dataDirLayout.lock(fault.lock), {
          holderPid: goneProcessId(),
          holder: `${this.service.name}-migrate`,
          since: now.toISOString(),
        });
        return `lock ${fault.lock} held by a process that is gone`;
      case 'expire-credentials': {
        const expiresAt = new Date(now.getTime() - 3_600_000).toISOString();
        this.writeJson(dataDirLayout.credentialsOf(fault.dependency), {
          user: this.service.name,
          secret: randomBytes(12).toString('base64url'),
          expiresAt,
        });
        return `credentials for ${fault.dependency} expired at ${expiresAt}`;
      }
      case 'degrade-primary': {
        const name = this.service.name;
        const replication = this.read(dataDirLayout.replication, replicationSchema) ?? {
          primary: `${name}-a`,
          nodes: { [`${name}-a`]: { degraded: false }, [`${name}-b`]: { degraded: false } },
        };
        replication.nodes[replication.primary] = { degraded: true };
        this.writeJson(dataDirLayout.replication, replication);
        return `primary ${replication.primary} degraded`;
      }
    }
  }

  /** A new config version with the patch over the current one, made current. */
  private pushConfig(patch: Partial<ShopConfig>): string {
    const current = this.read(dataDirLayout.currentConfig, shopConfigSchema) ?? defaultShopConfig;
    // the first push keeps the good config it replaces as version 1, to go back to
    if (!existsSync(this.path(dataDirLayout.configVersion(current.version))))
      this.writeJson(dataDirLayout.configVersion(current.version), current);
    const versions = this.jsonFiles(dataDirLayout.configVersions, '.json').map(Number);
    const version = Math.max(current.version, ...versions.filter(Number.isInteger)) + 1;
    const next: ShopConfig = {
      ...current,
      ...patch,
      downstreams: { ...current.downstreams, ...patch.downstreams },
      version,
    };
    this.writeJson(dataDirLayout.configVersion(version), next);
    this.writeJson(dataDirLayout.currentConfig, next);
    return `config ${current.version} -> ${version}: ${JSON.stringify(patch)}`;
  }

  private path(relative: string): string {
    return join(this.dataDir ?? '.', relative);
  }

  private ensureDir(relative: string): void {
    mkdirSync(this.path(relative), { recursive: true });
  }

  private read<T extends z.ZodType>(relative: string, schema: T): z.output<T> | undefined {
    try {
      const parsed = schema.safeParse(JSON.parse(readFileSync(this.path(relative), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Written aside and renamed, so no instance reads half a file. */
  private writeJson(relative: string, value: unknown): void {
    this.ensureDir(dirname(relative));
    const aside = `${this.path(relative)}.${process.pid}.tmp`;
    writeFileSync(aside, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(aside, this.path(relative));
  }

  /** The names (without the ending) of the files of a folder that end so. */
  private jsonFiles(folder: string, ending: string): string[] {
    try {
      return readdirSync(this.path(folder))
        .filter((f) => f.endsWith(ending))
        .map((f) => f.slice(0, -ending.length));
    } catch {
      return [];
    }
  }
}

function folderBytes(folder: string): number {
  try {
    return readdirSync(folder, { withFileTypes: true }).reduce((sum, entry) => {
      const path = join(folder, entry.name);
      return sum + (entry.isDirectory() ? folderBytes(path) : statSync(path).size);
    }, 0);
  } catch {
    return 0;
  }
}

function runs(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a process that ran and ended: a lock holder that is gone. */
function goneProcessId(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid ?? 4_194_000;
}

const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** GET a URL the config names; any answer but 2xx, or none, fails the call. */
function callUrl(url: string, headers: Readonly<Record<string, string>>): Promise<CallResult> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', headers }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(
        status >= 200 && status < 300
          ? { ok: true }
          : { ok: false, reason: `${url} answered ${status}` },
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, reason: `${url} failed (${error.code ?? error.message})` }),
    );
    req.end();
  });
}
