import type { TargetState } from '@vigil/action-catalog';

/**
 * The online shop every case happens in: its services, what each looks like now (replicas,
 * versions, declared flags, a datastore's primary) and what calls what. Fixed here, not read from
 * the demo shop, so the cases stay the same when the demo changes. Sized as production is (three
 * instances or more), since the production policy lets a change touch at most a third of them.
 */
export interface ShopService {
  kind: 'service' | 'datastore' | 'cache';
  state: TargetState;
  calls: readonly string[];
}

export const SHOP: Readonly<Record<string, ShopService>> = {
  frontend: {
    kind: 'service',
    state: { replicas: 6, version: 'v41', previousVersion: 'v40', flags: { 'new-search': true } },
    calls: ['checkout', 'cart', 'catalog', 'recommendation', 'currency'],
  },
  checkout: {
    kind: 'service',
    state: { replicas: 4, version: 'v18', previousVersion: 'v17', flags: { 'express-pay': true } },
    calls: ['payment', 'cart', 'currency', 'shipping'],
  },
  cart: {
    kind: 'service',
    state: { replicas: 3, version: 'v9', previousVersion: 'v8' },
    calls: ['cache'],
  },
  catalog: {
    kind: 'service',
    state: { replicas: 3, version: 'v27', previousVersion: 'v26' },
    calls: ['catalog-db', 'cache'],
  },
  recommendation: {
    kind: 'service',
    state: { replicas: 3, version: 'v5', previousVersion: 'v4' },
    calls: ['catalog'],
  },
  currency: {
    kind: 'service',
    state: { replicas: 3, version: 'v3', previousVersion: 'v2' },
    calls: [],
  },
  payment: {
    kind: 'service',
    state: { replicas: 4, version: 'v12', previousVersion: 'v11' },
    calls: [],
  },
  shipping: {
    kind: 'service',
    state: { replicas: 3, version: 'v7', previousVersion: 'v6' },
    calls: [],
  },
  cache: { kind: 'cache', state: { replicas: 3 }, calls: [] },
  'catalog-db': {
    kind: 'datastore',
    state: { replicas: 2, primary: 'catalog-db-0' },
    calls: [],
  },
};

export const SERVICES = Object.keys(SHOP);

/** The service and every service it calls or is called by: what a plan may name (the planner's k=1 neighbourhood). */
export function neighbourhood(service: string): string[] {
  const callers = SERVICES.filter((s) => SHOP[s].calls.includes(service));
  return [service, ...SHOP[service].calls, ...callers].filter((s, i, all) => all.indexOf(s) === i);
}

/** The neighbourhood as the planner's topologyFacts writes it for the prompt. */
export function topologyFactLines(service: string): string[] {
  const names = neighbourhood(service);
  const nodes = names.map((n) => `${n}: ${SHOP[n].kind}, ${SHOP[n].state.replicas} replicas`);
  const edges = names.flatMap((from) =>
    SHOP[from].calls.filter((to) => names.includes(to)).map((to) => `${from} CALLS ${to}`),
  );
  return [...nodes, ...edges];
}

/** Every target as guardrails sees it (`TopologyFacts.targets`). */
export function guardrailTargets(): Record<string, TargetState> {
  return Object.fromEntries(SERVICES.map((s) => [s, SHOP[s].state]));
}
