import type { Faults } from './fault-state';
import type { PersistedFault } from './persisted-state';
import { dependenciesOf, shopService, shopServices, type ShopService } from './shop-catalogue';

/**
 * The first fault kinds, what `bench:loop` runs by default: all but a bad deploy live in the
 * process, and a restart clears them.
 */
export const faultKinds = [
  'latency',
  'error-rate',
  'crash',
  'cpu-hog',
  'memory-leak',
  'dependency-outage',
  'bad-deploy',
] as const;

/** Faults held outside the process (config, state, dependency, capacity): a restart keeps them. */
export const restartProofFaultKinds = [
  'timeout-too-low',
  'wrong-downstream-url',
  'disk-full',
  'poisoned-cache-key',
  'stuck-lock',
  'expired-credentials',
  'degraded-dependency',
  'load-spike',
] as const;

export type FaultKind = (typeof faultKinds)[number];
export type RestartProofFaultKind = (typeof restartProofFaultKinds)[number];

/** Every kind `vigil chaos` and `scenario` take. */
export const allFaultKinds = [...faultKinds, ...restartProofFaultKinds] as const;
export type AnyFaultKind = FaultKind | RestartProofFaultKind;

/** Where a fault is held: only `process` faults are cleared by a restart. */
export type FaultHeld = 'process' | 'config' | 'state' | 'release' | 'dependency' | 'capacity';

export const faultHeldIn: Readonly<Record<AnyFaultKind, FaultHeld>> = {
  latency: 'process',
  'error-rate': 'process',
  crash: 'process',
  'cpu-hog': 'process',
  'memory-leak': 'process',
  'dependency-outage': 'process',
  'bad-deploy': 'release',
  'timeout-too-low': 'config',
  'wrong-downstream-url': 'config',
  'disk-full': 'state',
  'poisoned-cache-key': 'state',
  'stuck-lock': 'state',
  'expired-credentials': 'dependency',
  'degraded-dependency': 'dependency',
  'load-spike': 'capacity',
};

/**
 * Fault kinds no known-good runbook heals, on purpose: each shows as errors or slowness, whose
 * runbooks (a diagnostic, a rolling restart) leave it as it was, so only a plan composed from the
 * catalog (clear-cache-key, free-disk, release-lock, rotate-credentials, rollback-config,
 * failover) heals it.
 * Benchmarks measure the model on these against doing nothing and escalating.
 */
export const novelFaultKinds = [
  'poisoned-cache-key',
  'disk-full',
  'stuck-lock',
  'expired-credentials',
  'wrong-downstream-url',
  'degraded-dependency',
] as const satisfies readonly RestartProofFaultKind[];

/** What to do to the service to inject a fault. */
export type ChaosAction =
  | { kind: 'set-faults'; faults: Partial<Faults> }
  | { kind: 'crash' }
  | { kind: 'deploy'; version: string }
  /** Written into the service's data dir by one of its instances: every instance reads it. */
  | { kind: 'persist'; fault: PersistedFault }
  /** More requests straight at the service than its instances serve, for `seconds`. */
  | { kind: 'load-spike'; rps: number; seconds: number };

export interface Scenario {
  fault: AnyFaultKind;
  service: string;
  action: ChaosAction;
  /** What a person reads: what was done, what should happen. */
  description: string;
}

/** Services where a fault has callers to hurt (the stores are for dependency outages). */
const apps = shopServices.filter((s) => s.kind === 'service' && s.name !== 'frontend');
const stores = shopServices.filter((s) => s.kind !== 'service');

/** The service's first dependency, for faults on the way to one. */
function firstDependency(target: ShopService, fault: AnyFaultKind): string {
  const ownStores = dependenciesOf(target).filter((d) => shopService(d).kind !== 'service');
  const dependency = ownStores[0] ?? dependenciesOf(target)[0];
  if (!dependency)
    throw new Error(
      `${fault} needs a service that calls another: ${apps
        .filter((s) => dependenciesOf(s).length > 0)
        .map((s) => s.name)
        .join(', ')}`,
    );
  return dependency;
}

export function scenario(fault: AnyFaultKind, service: string, strength?: number): Scenario {
  const target = shopService(service);
  const a = (action: ChaosAction, description: string): Scenario => ({
    fault,
    service,
    action,
    description,
  });
  switch (fault) {
    case 'latency':
      return a(
        { kind: 'set-faults', faults: { latencyMs: strength ?? 800 } },
        `${service} answers ${strength ?? 800} ms slower`,
      );
    case 'error-rate':
      return a(
        { kind: 'set-faults', faults: { errorRate: strength ?? 0.4 } },
        `${service} fails ${Math.round((strength ?? 0.4) * 100)}% of its requests`,
      );
    case 'crash':
      return a({ kind: 'crash' }, `every instance of ${service} crashes`);
    case 'cpu-hog':
      return a(
        { kind: 'set-faults', faults: { cpuHog: strength ?? 0.95 } },
        `${service} spins its CPU (${Math.round((strength ?? 0.95) * 100)}% of each 100 ms)`,
      );
    case 'memory-leak':
      return a(
        { kind: 'set-faults', faults: { leakMiBPerSecond: strength ?? 8 } },
        `${service} leaks ${strength ?? 8} MiB/s`,
      );
    case 'dependency-outage':
      if (target.kind === 'service')
        throw new Error(
          `a dependency outage takes a store: ${stores.map((s) => s.name).join(' or ')}`,
        );
      return a({ kind: 'set-faults', faults: { unavailable: true } }, `${service} is unavailable`);
    case 'bad-deploy':
      return a(
        { kind: 'deploy', version: 'v2' },
        `${service} v2 is deployed: it fails most requests`,
      );
    default:
      return restartProofScenario(fault, target, strength);
  }
}

function restartProofScenario(
  fault: RestartProofFaultKind,
  target: ShopService,
  strength?: number,
): Scenario {
  const service = target.name;
  const a = (action: ChaosAction, description: string): Scenario => ({
    fault,
    service,
    action,
    description,
  });
  const persist = (persisted: PersistedFault, description: string) =>
    a({ kind: 'persist', fault: persisted }, description);
  switch (fault) {
    case 'timeout-too-low': {
      const timeoutMs = Math.max(1, Math.round(strength ?? 1));
      firstDependency(target, fault);
      return persist(
        { kind: 'config', patch: { timeoutMs } },
        `a new config of ${service} gives its calls ${timeoutMs} ms before they time out`,
      );
    }
    case 'wrong-downstream-url': {
      const dependency = firstDependency(target, fault);
      return persist(
        { kind: 'config', patch: { downstreams: { [dependency]: 'http://127.0.0.1:9' } } },
        `a new config of ${service} sends its calls to ${dependency} to http://127.0.0.1:9, where nothing listens`,
      );
    }
    case 'disk-full':
      return persist({ kind: 'fill-volume' }, `the data volume of ${service} is full`);
    case 'poisoned-cache-key':
      if (target.kind !== 'cache')
        throw new Error(
          `a poisoned cache key is in a cache: ${stores
            .filter((s) => s.kind === 'cache')
            .map((s) => s.name)
            .join(' or ')}`,
        );
      return persist(
        { kind: 'poison-cache-key', key: 'cart:hot' },
        `the hot key cart:hot of ${service} holds bytes its readers cannot decode`,
      );
    case 'stuck-lock':
      return persist(
        { kind: 'stuck-lock', lock: `${service}-writer` },
        `${service}'s lock ${service}-writer is held by a process that is gone`,
      );
    case 'expired-credentials': {
      const dependency = firstDependency(target, fault);
      return persist(
        { kind: 'expire-credentials', dependency },
        `the credentials ${service} uses for ${dependency} have expired`,
      );
    }
    case 'degraded-dependency':
      if (target.kind === 'service')
        throw new Error(
          `a degraded dependency is a store: ${stores.map((s) => s.name).join(' or ')}`,
        );
      return persist(
        { kind: 'degrade-primary' },
        `the primary node of ${service} is degraded (a failing disk): slow, failing some requests`,
      );
    case 'load-spike': {
      const rps = Math.round(strength ?? 120);
      return a(
        { kind: 'load-spike', rps, seconds: 600 },
        `${rps} more requests per second at ${service} than usual, for 10 minutes`,
      );
    }
  }
}

/** Where each fault shows best in the shop when nobody names a service. */
export const defaultTargets: Readonly<Record<AnyFaultKind, string>> = {
  latency: 'catalog',
  'error-rate': 'payment',
  crash: 'payment',
  'cpu-hog': 'recommendation',
  'memory-leak': 'cart',
  'dependency-outage': 'catalog-db',
  'bad-deploy': 'checkout',
  'timeout-too-low': 'catalog',
  'wrong-downstream-url': 'catalog',
  'disk-full': 'cart',
  'poisoned-cache-key': 'cache',
  'stuck-lock': 'checkout',
  'expired-credentials': 'catalog',
  'degraded-dependency': 'catalog-db',
  // a service that calls nobody: a spike on catalog would overload catalog-db below it too
  'load-spike': 'currency',
};

/**
 * A seeded random scenario of the first kinds: the same seed gives the same fault on the same
 * service, as it did before the restart-proof kinds came.
 */
export function randomScenario(seed: number): Scenario {
  const random = mulberry32(seed);
  const fault = faultKinds[Math.floor(random() * faultKinds.length)] ?? 'crash';
  const pool = fault === 'dependency-outage' ? stores : apps;
  const service = pool[Math.floor(random() * pool.length)]?.name ?? 'payment';
  return scenario(fault, service);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
