import type { Faults } from './fault-state';
import { shopService, shopServices } from './shop-catalogue';

export const faultKinds = [
  'latency',
  'error-rate',
  'crash',
  'cpu-hog',
  'memory-leak',
  'dependency-outage',
  'bad-deploy',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/** What to do to every instance of the service to inject a fault. */
export type ChaosAction =
  | { kind: 'set-faults'; faults: Partial<Faults> }
  | { kind: 'crash' }
  | { kind: 'deploy'; version: string };

export interface Scenario {
  fault: FaultKind;
  service: string;
  action: ChaosAction;
  /** What a person reads: what was done, what should happen. */
  description: string;
}

/** Services where a fault has callers to hurt (the stores are for dependency outages). */
const apps = shopServices.filter((s) => s.kind === 'service' && s.name !== 'frontend');
const stores = shopServices.filter((s) => s.kind !== 'service');

export function scenario(fault: FaultKind, service: string, strength?: number): Scenario {
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
  }
}

/** Where each fault shows best in the shop when nobody names a service. */
export const defaultTargets: Readonly<Record<FaultKind, string>> = {
  latency: 'catalog',
  'error-rate': 'payment',
  crash: 'payment',
  'cpu-hog': 'recommendation',
  'memory-leak': 'cart',
  'dependency-outage': 'catalog-db',
  'bad-deploy': 'checkout',
};

/** A seeded random scenario: the same seed gives the same fault on the same service. */
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
