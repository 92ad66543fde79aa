import { z } from 'zod';

/**
 * What a shop service keeps outside its processes, in its data dir (VIGIL_DATA_DIR, one folder
 * per service under the demo's state folder, shared by its instances like a volume): its config
 * versions, its data volume, its locks, the credentials of its dependencies and, for the cache,
 * its entries. A restart reads them again, so a fault held here outlives any restart; only the
 * treatment that changes the file cures it. Paths are relative to the data dir.
 */
export const dataDirLayout = {
  /** The config every instance reads at start and whenever it changes. */
  currentConfig: 'config/current.json',
  configVersions: 'config/versions',
  configVersion: (version: number) => `config/versions/${version}.json`,
  /** The service's data volume, limited by `volumeQuotaBytes` of the config. */
  volume: 'volume',
  /** Scratch space of the volume: what `free-disk` may delete. */
  volumeTmp: 'volume/tmp',
  locks: 'locks',
  lock: (name: string) => `locks/${name}.lock`,
  credentials: 'credentials',
  credentialsOf: (dependency: string) => `credentials/${dependency}.json`,
  /** Rotated-out credentials, kept aside rather than deleted. */
  previousCredentialsOf: (dependency: string) => `credentials/${dependency}.previous.json`,
  cacheEntries: 'cache/entries.json',
  /** Of a store: which of its nodes is primary, and which are degraded. */
  replication: 'replication.json',
} as const;

/** A plain name for a lock, key or dependency: never a path. */
const plainName = z.string().regex(/^[a-zA-Z0-9:_.-]{1,100}$/, 'letters, digits and : _ . -');

const timeoutMs = z.number().int().min(1).max(60_000);
const downstreams = z.record(plainName, z.string().regex(/^http:\/\/[^\s]+$/));
const capacityRps = z.number().min(1).max(100_000);
const volumeQuotaBytes = z.number().int().min(1_024);

/** One config version of a service. Defaults are the good values every service starts on. */
export const shopConfigSchema = z
  .object({
    version: z.number().int().min(1).default(1),
    /** How long a call to a dependency may take before it counts as failed. */
    timeoutMs: timeoutMs.default(2_000),
    /** Where a dependency is called instead of its own ports (a URL such as http://host:port). */
    downstreams: downstreams.default({}),
    /** Requests per second one instance serves; more are refused (shed) with 503. */
    capacityRps: capacityRps.default(100),
    /** The size of the service's data volume. */
    volumeQuotaBytes: volumeQuotaBytes.default(4 * 1024 * 1024),
  })
  .strict();

/** What a config push changes: only the values it names (no defaults filled in). */
export const shopConfigPatchSchema = z.strictObject({
  timeoutMs: timeoutMs.optional(),
  downstreams: downstreams.optional(),
  capacityRps: capacityRps.optional(),
  volumeQuotaBytes: volumeQuotaBytes.optional(),
});
export type ShopConfig = z.output<typeof shopConfigSchema>;

export const defaultShopConfig: ShopConfig = shopConfigSchema.parse({});

/** A lock file: who took it and when. A holder that no longer runs leaves the lock stuck. */
export const lockFileSchema = z.object({
  holderPid: z.number().int().min(1),
  holder: z.string().min(1),
  since: z.string().min(1),
});
export type LockFile = z.output<typeof lockFileSchema>;

/** The credentials a service uses for one dependency (a password, a client certificate). */
export const credentialsFileSchema = z.object({
  user: z.string().min(1),
  secret: z.string().min(1),
  expiresAt: z.string().min(1),
});
export type CredentialsFile = z.output<typeof credentialsFileSchema>;

/** The cache's entries; a poisoned one holds bytes its readers cannot decode. */
export const cacheEntriesSchema = z.record(
  plainName,
  z.object({ value: z.string(), poisoned: z.boolean().default(false) }),
);
export type CacheEntries = z.output<typeof cacheEntriesSchema>;

/** A store's nodes: the primary serves; a degraded node is slow and fails some requests. */
export const replicationSchema = z.object({
  primary: plainName,
  nodes: z.record(plainName, z.object({ degraded: z.boolean().default(false) })),
});
export type Replication = z.output<typeof replicationSchema>;

/** What chaos writes into a service's data dir (POST /admin/persisted-faults on an instance). */
export const persistedFaultSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    /** A new config version with these values, made current: a careless config push. */
    kind: z.literal('config'),
    patch: shopConfigPatchSchema,
  }),
  /** Scratch files fill the data volume up to its quota. */
  z.strictObject({ kind: z.literal('fill-volume') }),
  /** A cache entry its readers cannot decode, on a cache service. */
  z.strictObject({ kind: z.literal('poison-cache-key'), key: plainName }),
  /** A lock whose holder is gone: whoever needs it waits and gives up. */
  z.strictObject({ kind: z.literal('stuck-lock'), lock: plainName }),
  /** The credentials for a dependency expired an hour ago. */
  z.strictObject({ kind: z.literal('expire-credentials'), dependency: plainName }),
  /** The primary node of a store degrades (a failing disk): a replica is there to take over. */
  z.strictObject({ kind: z.literal('degrade-primary') }),
]);
export type PersistedFault = z.output<typeof persistedFaultSchema>;

/** What an instance last read from its data dir. */
export interface PersistedView {
  config: ShopConfig;
  volumeUsedBytes: number;
  /** Locks held by a process that no longer runs. */
  stuckLocks: ReadonlyArray<{ name: string; lock: LockFile }>;
  /** Credentials per dependency. */
  credentials: Readonly<Record<string, CredentialsFile>>;
  /** On a cache service: the keys whose values are poisoned. */
  poisonedKeys: readonly string[];
  /** On a store: its primary node, when that node is degraded. */
  degradedPrimary?: string;
}

export const cleanView: PersistedView = {
  config: defaultShopConfig,
  volumeUsedBytes: 0,
  stuckLocks: [],
  credentials: {},
  poisonedKeys: [],
};

/** How long a request waits for a lock before it gives up. */
export const lockWaitMs = 1_000;
/** The share of cache reads that hit the hot (poisoned) key. */
export const poisonedKeyHitShare = 0.5;
/** What a degraded primary adds to every request, and the share it fails. */
export const degradedDelayMs = 600;
export const degradedFailShare = 0.2;

/** What the persisted state does to one request: a wait, then maybe a failure. */
export interface PersistedEffect {
  /** Time spent before answering (waiting for a lock, a degraded disk). */
  waitMs: number;
  failure?: {
    status: number;
    /** What the service logs, as a real one would. */
    message: string;
  };
}

const fails = (status: number, message: string, waitMs = 0): PersistedEffect => ({
  waitMs,
  failure: { status, message },
});

/**
 * What the persisted state does to one request of `service` (`random` in [0, 1)): a full volume
 * fails every write (each request writes its session), a stuck lock makes requests wait and give
 * up, a poisoned cache key fails the reads that hit it, a degraded primary is slow and fails some.
 * Undefined: the request goes on as usual.
 */
export function persistedEffect(
  view: PersistedView,
  service: { name: string; kind: string },
  random: number,
): PersistedEffect | undefined {
  if (view.volumeUsedBytes >= view.config.volumeQuotaBytes)
    return fails(
      507,
      `ENOSPC: no space left on device, write '${dataDirLayout.volume}/sessions' (${view.volumeUsedBytes} of ${view.config.volumeQuotaBytes} bytes used)`,
    );
  const stuck = view.stuckLocks[0];
  if (stuck)
    return fails(
      503,
      `timed out after ${lockWaitMs} ms waiting for lock ${stuck.name} (held by ${stuck.lock.holder} pid ${stuck.lock.holderPid} since ${stuck.lock.since})`,
      lockWaitMs,
    );
  if (view.degradedPrimary)
    return random < degradedFailShare
      ? fails(
          500,
          `I/O error on primary ${view.degradedPrimary}: read timed out on its data disk`,
          degradedDelayMs,
        )
      : { waitMs: degradedDelayMs };
  const poisoned = view.poisonedKeys[0];
  if (service.kind === 'cache' && poisoned && random < poisonedKeyHitShare)
    return fails(500, `cannot decode value of key ${poisoned}: unexpected byte 0xff at offset 0`);
  return undefined;
}

/** Why a call to `dependency` cannot even start (expired credentials), or undefined. */
export function dependencyRefusal(
  view: PersistedView,
  dependency: string,
  now: number,
): string | undefined {
  const credentials = view.credentials[dependency];
  if (!credentials) return undefined;
  const expires = Date.parse(credentials.expiresAt);
  if (Number.isNaN(expires) || expires > now) return undefined;
  return `authentication to ${dependency} failed for user ${credentials.user}: credentials expired at ${credentials.expiresAt}`;
}

/** Whether one more request fits the instance's capacity, given those started in the last second. */
export function overCapacity(view: PersistedView, startedLastSecond: number): boolean {
  return startedLastSecond >= view.config.capacityRps;
}
