import type { Rng } from '../correlation/prng';

/** Where a fault is held: only `process` faults are cleared by a restart. */
export type FaultHeld = 'process' | 'config' | 'state' | 'release' | 'dependency' | 'capacity';

/** What the evidence of one case says: the alert, metrics and log lines a diagnosis carries. */
export interface FaultEvidence {
  title: string;
  metrics: Array<{ metric: string; direction: 'up' | 'down' }>;
  logs: string[];
  alerts: string[];
  /** A version released shortly before the fault, when there was one. */
  deploy?: string;
}

export interface FaultKind {
  id: string;
  held: FaultHeld;
  /** Services the fault is put on. */
  services: readonly string[];
  /**
   * Catalog actions that cure it on the faulty service, whether or not the catalog has them yet:
   * an answer is expected to use one the catalog has, and to escalate when it has none.
   */
  cures: readonly string[];
  /** Actions that make this fault worse on its service (a restart during overload drops capacity). */
  forbidden: readonly string[];
  evidence: (service: string, rng: Rng) => FaultEvidence;
}

const APPS = ['checkout', 'cart', 'catalog', 'payment', 'recommendation', 'currency', 'shipping'];
const WITH_POOL = ['checkout', 'catalog', 'cart', 'payment'];
const pct = (rng: Rng, lo: number, hi: number) => `${rng.int(lo, hi)}%`;

/**
 * The fault kinds of the benchmark: the shop's in-memory faults that a restart clears (as today's
 * loop injects them), and faults held in config, state, a release, a dependency or capacity that
 * a restart cannot cure (issue 19). The evidence is what the platform would observe, nothing more.
 */
export const FAULT_KINDS: readonly FaultKind[] = [
  {
    id: 'crash',
    held: 'process',
    services: APPS,
    cures: ['restart'],
    forbidden: [],
    evidence: (s, rng) => ({
      title: `${s} has no ready instance`,
      metrics: [{ metric: 'instances_ready', direction: 'down' }],
      logs: [`${s} process exited with code ${rng.pick([137, 139, 1])}`],
      alerts: ['ServiceDown'],
    }),
  },
  {
    id: 'bad-deploy',
    held: 'release',
    services: APPS,
    cures: ['rollback-deployment', 'rollback-release'],
    forbidden: [],
    evidence: (s, rng) => ({
      title: `${s} is failing ${pct(rng, 30, 70)} of its requests (5xx)`,
      metrics: [{ metric: 'http_error_ratio', direction: 'up' }],
      logs: [`TypeError: cannot read properties of undefined (reading 'price') in ${s} handler`],
      alerts: ['HighErrorRate'],
      deploy: 'new',
    }),
  },
  {
    id: 'latency',
    held: 'process',
    services: APPS,
    cures: ['restart'],
    forbidden: [],
    evidence: (s, rng) => ({
      title: `${s} p99 latency is ${rng.int(900, 3000)} ms`,
      metrics: [{ metric: 'http_request_duration_p99_ms', direction: 'up' }],
      logs: [`slow request in ${s}: handler took ${rng.int(800, 2500)} ms (worker stalled)`],
      alerts: ['HighLatency'],
    }),
  },
  {
    id: 'error-rate',
    held: 'process',
    services: APPS,
    cures: ['restart'],
    forbidden: [],
    evidence: (s, rng) => ({
      title: `${s} is failing ${pct(rng, 20, 60)} of its requests (5xx)`,
      metrics: [{ metric: 'http_error_ratio', direction: 'up' }],
      logs: [`internal error in ${s}: request handler threw (bad in-memory state)`],
      alerts: ['HighErrorRate'],
    }),
  },
  {
    id: 'cpu-hog',
    held: 'process',
    services: APPS,
    cures: ['restart', 'scale'],
    forbidden: [],
    evidence: (s, rng) => ({
      title: `${s} CPU at ${pct(rng, 95, 100)} while its traffic is flat`,
      metrics: [
        { metric: 'process_cpu_ratio', direction: 'up' },
        { metric: 'http_request_duration_p99_ms', direction: 'up' },
      ],
      logs: [`event loop blocked for ${rng.int(300, 900)} ms in ${s}`],
      alerts: ['CpuSaturated'],
    }),
  },
  {
    id: 'memory-leak',
    held: 'process',
    services: APPS,
    cures: ['restart'],
    forbidden: [],
    evidence: (s, rng) => ({
      title: `${s} memory grows ${rng.int(20, 60)} MiB a minute`,
      metrics: [{ metric: 'process_resident_memory_bytes', direction: 'up' }],
      logs: [`${s} heap used ${rng.int(85, 97)}% of limit, gc pauses growing`],
      alerts: ['MemoryGrowing'],
    }),
  },
  {
    id: 'dependency-outage',
    held: 'process',
    services: ['catalog-db', 'cache'],
    cures: ['restart', 'failover'],
    forbidden: [],
    evidence: (s) => ({
      title: `${s} does not answer; its callers fail`,
      metrics: [{ metric: 'instances_ready', direction: 'down' }],
      logs: [`connection refused: ${s}:${s === 'cache' ? 6379 : 5432}`],
      alerts: ['DependencyDown'],
    }),
  },
  // held outside the process: a restart reads the same bad config, state or version again
  {
    id: 'config-pool-size',
    held: 'config',
    services: WITH_POOL,
    cures: ['rollback-config', 'patch-config'],
    forbidden: [],
    evidence: (s, rng) => ({
      title: `${s} p99 latency is ${rng.int(1500, 5000)} ms`,
      metrics: [{ metric: 'http_request_duration_p99_ms', direction: 'up' }],
      logs: [
        `config loaded from ${s}.yaml: db.pool.max=1 (changed ${rng.int(5, 40)} min ago)`,
        `waiting for a pooled connection: 1/1 in use, ${rng.int(20, 90)} waiting`,
      ],
      alerts: ['HighLatency'],
    }),
  },
  {
    id: 'config-wrong-url',
    held: 'config',
    services: ['checkout', 'catalog', 'recommendation', 'frontend'],
    cures: ['rollback-config', 'patch-config'],
    forbidden: [],
    evidence: (s) => ({
      title: `${s} is failing most of its requests (5xx)`,
      metrics: [{ metric: 'http_error_ratio', direction: 'up' }],
      logs: [
        `config loaded from ${s}.yaml: downstream url http://paymnet:8080 (changed at start)`,
        `getaddrinfo ENOTFOUND paymnet, still failing after restart`,
      ],
      alerts: ['HighErrorRate'],
    }),
  },
  {
    id: 'config-timeout-low',
    held: 'config',
    services: WITH_POOL,
    cures: ['rollback-config', 'patch-config'],
    forbidden: [],
    evidence: (s, rng) => ({
      title: `${s} is failing ${pct(rng, 25, 55)} of its requests (timeouts)`,
      metrics: [{ metric: 'http_error_ratio', direction: 'up' }],
      logs: [
        `config loaded from ${s}.yaml: upstream.timeout_ms=${rng.int(2, 9)}`,
        `request to downstream aborted after timeout`,
      ],
      alerts: ['HighErrorRate'],
    }),
  },
  {
    id: 'disk-full',
    held: 'state',
    services: ['cart', 'checkout', 'payment', 'shipping'],
    cures: ['free-disk'],
    forbidden: [],
    evidence: (s) => ({
      title: `${s} fails every write (5xx)`,
      metrics: [
        { metric: 'http_error_ratio', direction: 'up' },
        { metric: 'data_volume_used_ratio', direction: 'up' },
      ],
      logs: [`ENOSPC: no space left on device, write '/data/${s}/journal.log'`],
      alerts: ['HighErrorRate', 'VolumeFull'],
    }),
  },
  {
    id: 'poisoned-cache',
    held: 'state',
    services: ['cache'],
    cures: ['clear-cache-key', 'flush-cache'],
    forbidden: ['restart'],
    evidence: (_s, rng) => {
      const key = `product:${rng.int(10, 999)}`;
      return {
        title: `catalog reads of ${key} fail (5xx)`,
        metrics: [{ metric: 'http_error_ratio', direction: 'up' }],
        logs: [`cannot decode cached value for key ${key}: unexpected token`],
        alerts: ['HighErrorRate'],
      };
    },
  },
  {
    id: 'stuck-lock',
    held: 'state',
    services: ['checkout', 'cart', 'shipping'],
    cures: ['release-lock'],
    forbidden: [],
    evidence: (s, rng) => ({
      title: `${s} requests hang until they time out`,
      metrics: [{ metric: 'http_request_duration_p99_ms', direction: 'up' }],
      logs: [
        `lock /data/${s}/orders.lock held by pid ${rng.int(1000, 9999)} which no longer exists`,
        `waiting for lock /data/${s}/orders.lock`,
      ],
      alerts: ['HighLatency'],
    }),
  },
  {
    id: 'bad-release-persists',
    held: 'release',
    services: APPS,
    cures: ['rollback-deployment', 'rollback-release'],
    forbidden: [],
    evidence: (s, rng) => ({
      title: `${s} is failing ${pct(rng, 40, 90)} of its requests since its release`,
      metrics: [{ metric: 'http_error_ratio', direction: 'up' }],
      logs: [
        `unhandled rejection in ${s}: schema mismatch on field "currency"`,
        `${s} restarted ${rng.int(2, 4)} times in 10 min; errors persist`,
      ],
      alerts: ['HighErrorRate'],
      deploy: 'new',
    }),
  },
  {
    id: 'expired-credentials',
    held: 'dependency',
    services: ['payment', 'shipping', 'checkout'],
    cures: ['rotate-credentials'],
    forbidden: [],
    evidence: (s) => ({
      title: `${s} is failing every call to its provider (5xx)`,
      metrics: [{ metric: 'http_error_ratio', direction: 'up' }],
      logs: [
        `401 Unauthorized from provider: client credentials expired`,
        `loaded credentials from /etc/${s}/credentials.json (expired)`,
      ],
      alerts: ['HighErrorRate'],
    }),
  },
  {
    id: 'degraded-dependency',
    held: 'dependency',
    services: ['catalog-db'],
    cures: ['failover'],
    forbidden: [],
    evidence: (_s, rng) => ({
      title: `catalog-db queries take ${rng.int(800, 4000)} ms`,
      metrics: [{ metric: 'query_duration_p99_ms', direction: 'up' }],
      logs: [`catalog-db-0: disk latency ${rng.int(200, 900)} ms, replica catalog-db-1 healthy`],
      alerts: ['HighLatency'],
    }),
  },
  {
    id: 'provider-quota',
    held: 'dependency',
    services: ['payment', 'shipping', 'currency'],
    cures: ['raise-provider-quota'],
    forbidden: ['restart'],
    evidence: (s, rng) => ({
      title: `${s} is failing ${pct(rng, 30, 80)} of its calls to its provider (429)`,
      metrics: [{ metric: 'http_error_ratio', direction: 'up' }],
      logs: [
        `429 Too Many Requests from provider: monthly quota of ${s} exhausted, resets in ${rng.int(3, 20)} days`,
      ],
      alerts: ['HighErrorRate'],
    }),
  },
  {
    id: 'half-applied-migration',
    held: 'state',
    services: ['checkout', 'catalog', 'cart'],
    cures: ['restore-database-backup'],
    forbidden: ['restart', 'rollback-deployment'],
    evidence: (s, rng) => ({
      title: `${s} is failing ${pct(rng, 40, 90)} of its writes (5xx)`,
      metrics: [{ metric: 'http_error_ratio', direction: 'up' }],
      logs: [
        `migration 00${rng.int(40, 90)} of ${s} stopped half way: column "currency" missing`,
        `SQL error: column "currency" of relation "orders" does not exist`,
      ],
      alerts: ['HighErrorRate'],
    }),
  },
  {
    id: 'capacity',
    held: 'capacity',
    services: ['frontend', 'checkout', 'catalog', 'cart'],
    cures: ['scale'],
    forbidden: ['restart', 'drain-instance'],
    evidence: (s, rng) => ({
      title: `${s} CPU at ${pct(rng, 92, 100)} with ${rng.int(3, 6)}x its usual traffic`,
      metrics: [
        { metric: 'http_requests_per_second', direction: 'up' },
        { metric: 'process_cpu_ratio', direction: 'up' },
      ],
      logs: [`${s} request queue ${rng.int(200, 900)} deep`],
      alerts: ['CpuSaturated'],
    }),
  },
];
