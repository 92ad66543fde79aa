/**
 * The demo online shop: ten small services shaped like the public microservice demos (Online
 * Boutique, Sock Shop). Each route does a little work of its own and calls its dependencies in
 * order; a failed dependency fails the caller, as a real shop without fallbacks would.
 */
import { releaseProperty } from '@vigil/contracts';

export type ShopServiceKind = 'service' | 'database' | 'cache';

export interface DownstreamCall {
  service: string;
  route: string;
}

export interface ShopRoute {
  /** Own work per request, in milliseconds (the median; real work varies). */
  workMs: number;
  calls: readonly DownstreamCall[];
}

export interface ShopService {
  name: string;
  kind: ShopServiceKind;
  routes: Readonly<Record<string, ShopRoute>>;
  /** Instances listen on portBase .. portBase + 9. */
  portBase: number;
  replicas: number;
}

const call = (service: string, route: string): DownstreamCall => ({ service, route });

export const shopServices: readonly ShopService[] = [
  {
    name: 'frontend',
    kind: 'service',
    portBase: 4200,
    replicas: 2,
    routes: {
      home: {
        workMs: 3,
        calls: [
          call('catalog', 'list'),
          call('recommendation', 'for-user'),
          call('currency', 'convert'),
          call('cart', 'get'),
        ],
      },
      product: { workMs: 2, calls: [call('catalog', 'get'), call('recommendation', 'for-user')] },
      checkout: { workMs: 4, calls: [call('checkout', 'place')] },
    },
  },
  {
    name: 'checkout',
    kind: 'service',
    portBase: 4210,
    replicas: 1,
    routes: {
      place: {
        workMs: 5,
        calls: [
          call('cart', 'get'),
          call('currency', 'convert'),
          call('payment', 'charge'),
          call('shipping', 'quote'),
          call('cart', 'empty'),
        ],
      },
    },
  },
  {
    name: 'cart',
    kind: 'service',
    portBase: 4220,
    replicas: 1,
    routes: {
      get: { workMs: 1, calls: [call('cache', 'get')] },
      empty: { workMs: 1, calls: [call('cache', 'set')] },
    },
  },
  {
    name: 'catalog',
    kind: 'service',
    portBase: 4230,
    replicas: 1,
    routes: {
      list: { workMs: 2, calls: [call('catalog-db', 'query')] },
      get: { workMs: 1, calls: [call('catalog-db', 'query')] },
    },
  },
  {
    name: 'recommendation',
    kind: 'service',
    portBase: 4240,
    replicas: 1,
    routes: { 'for-user': { workMs: 3, calls: [call('catalog', 'list')] } },
  },
  {
    name: 'currency',
    kind: 'service',
    portBase: 4250,
    replicas: 1,
    routes: { convert: { workMs: 1, calls: [] } },
  },
  {
    name: 'payment',
    kind: 'service',
    portBase: 4260,
    replicas: 1,
    routes: { charge: { workMs: 4, calls: [] } },
  },
  {
    name: 'shipping',
    kind: 'service',
    portBase: 4270,
    replicas: 1,
    routes: { quote: { workMs: 2, calls: [] } },
  },
  {
    name: 'cache',
    kind: 'cache',
    portBase: 4280,
    replicas: 1,
    routes: { get: { workMs: 0.5, calls: [] }, set: { workMs: 0.5, calls: [] } },
  },
  {
    name: 'catalog-db',
    kind: 'database',
    portBase: 4290,
    replicas: 1,
    routes: { query: { workMs: 2, calls: [] } },
  },
];

const byName = new Map(shopServices.map((s) => [s.name, s]));

export function shopService(name: string): ShopService {
  const service = byName.get(name);
  if (!service)
    throw new Error(
      `no shop service ${name}; the shop has ${shopServices.map((s) => s.name).join(', ')}`,
    );
  return service;
}

export const PORTS_PER_SERVICE = 10;

export function portRange(service: ShopService): { from: number; to: number } {
  return { from: service.portBase, to: service.portBase + PORTS_PER_SERVICE - 1 };
}

/** The services a service calls, each once, in first-call order. */
export function dependenciesOf(service: ShopService): string[] {
  const seen = new Set<string>();
  for (const route of Object.values(service.routes))
    for (const c of route.calls) seen.add(c.service);
  return [...seen];
}

/**
 * The shop as a Vigil topology file (`vigil topology import`), as its platform team would write
 * it: services with the services they call, and the stores they depend on.
 */
export function shopTopology(prefix = ''): TopologyFileInput {
  const id = (name: string) => `${prefix}${name}`;
  const isStore = (name: string) => shopService(name).kind !== 'service';
  return {
    services: shopServices
      .filter((s) => s.kind === 'service')
      .map((s) => ({
        id: id(s.name),
        // the release every service starts on: the graph knows what runs, so a later deploy
        // (announced by the executor) is news
        properties: { [releaseProperty.version]: 'v1' },
        calls: dependenciesOf(s)
          .filter((d) => !isStore(d))
          .map(id),
        dependsOn: dependenciesOf(s).filter(isStore).map(id),
      })),
    databases: shopServices
      .filter((s) => s.kind !== 'service')
      .map((s) => ({
        id: id(s.name),
        properties: { engine: s.kind === 'cache' ? 'redis' : 'postgres' },
      })),
  };
}

export interface TopologyFileInput {
  services: Array<{
    id: string;
    properties: Record<string, string>;
    calls: string[];
    dependsOn: string[];
  }>;
  databases: Array<{ id: string; properties: Record<string, string> }>;
}
