/** One deployable version of a local service: how to start one instance of it. */
export interface LocalServiceVersion {
  version: string;
  command: string;
  args?: readonly string[];
  /** Added to the adapter's environment; PORT, VIGIL_SERVICE and VIGIL_VERSION are set too. */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
}

/**
 * The HTTP paths an instance exposes besides health. A path that is not configured makes the
 * actions and checks that need it unsupported (with that reason) instead of failing at run time.
 *
 * Contract (all JSON, on 127.0.0.1:PORT):
 * - stats: GET -> `{ "errorRate": 0..1, "p99Ms": number }` over the instance's recent requests;
 *   read by the `error-rate-below` and `latency-below` checks (the worst instance counts).
 * - flags: GET -> `{ "flags": { name: boolean } }`; POST `{ "flag", "enabled" }` sets one.
 * - cacheFlush: POST `{ "keyPattern" }` -> 2xx.
 * - diagnostics: GET `?check=<thread-dump|heap-summary|...>` -> any JSON, quoted in the detail.
 * - failover: POST `{ "toReplica" }` -> 2xx.
 */
export interface LocalServiceEndpoints {
  stats?: string;
  flags?: string;
  cacheFlush?: string;
  diagnostics?: string;
  failover?: string;
}

/** The paths of `testing/demo-service.mjs`, the demo system's services. */
export const demoServiceEndpoints: LocalServiceEndpoints = {
  stats: '/admin/stats',
  flags: '/admin/flags',
  cacheFlush: '/admin/cache/flush',
  diagnostics: '/admin/diagnostics',
};

export interface LocalServiceConfig {
  /** Oldest first; a service starts on `initialVersion` or else the last one. */
  versions: readonly LocalServiceVersion[];
  initialVersion?: string;
  /** Instances started by `start()`; default 1. */
  initialReplicas?: number;
  /** Instances listen on distinct ports of this range (inclusive), passed as env PORT. */
  ports: { from: number; to: number };
  /** GET answering 200 when the instance is healthy; default `/healthz`. */
  healthPath?: string;
  endpoints?: LocalServiceEndpoints;
  /**
   * The service's own folder of what outlives its processes (config versions, data volume,
   * locks, credentials, cache entries, its release; see local-data-dir.ts), given to every
   * instance as VIGIL_DATA_DIR. Without it the actions that change those files are unsupported.
   */
  dataDir?: string;
}

export interface LocalProcessTimings {
  /** From spawn until the instance answers HTTP at all. */
  startupTimeoutMs: number;
  /** From answering until health is 200, for steps that wait for health. */
  healthTimeoutMs: number;
  /** SIGTERM -> SIGKILL, when a step gives no grace of its own. */
  stopGraceMs: number;
  /** One HTTP probe of one instance. */
  probeTimeoutMs: number;
  /** Between polls while waiting or verifying. */
  pollIntervalMs: number;
}

export const defaultLocalProcessTimings: LocalProcessTimings = {
  startupTimeoutMs: 10_000,
  healthTimeoutMs: 10_000,
  stopGraceMs: 5_000,
  probeTimeoutMs: 1_000,
  pollIntervalMs: 100,
};

export interface LocalProcessAdapterOptions {
  /** Adapter name in audit events; default `local-process`. */
  name?: string;
  /** Service (target) name -> how to run it. */
  services: Readonly<Record<string, LocalServiceConfig>>;
  /** JSON-lines file of applied idempotency keys, kept across restarts of the adapter. */
  stateFile?: string;
  timings?: Partial<LocalProcessTimings>;
  /**
   * A Prometheus file_sd file (JSON) rewritten whenever instances start or stop: one group per
   * service, labelled `service`, so Prometheus scrapes every replica the adapter runs.
   */
  scrapeTargetsFile?: string;
  /**
   * A JSON file of the processes the adapter runs (pid, port, command line), rewritten as they
   * start and stop. An adapter that starts finds there what a killed one left running, and stops
   * it before it starts its own, so no orphan keeps a port or serves an old version.
   */
  instancesFile?: string;
}
