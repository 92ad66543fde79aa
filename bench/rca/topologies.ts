import type { RcaEdge, RcaTopology } from '@vigil/rca';

/**
 * The two systems the root-cause cases run on, shaped after the public microservice demos that
 * RCAEval injects faults into: Google's Online Boutique and Weaveworks' Sock Shop. Call edges,
 * fan-out and error handling follow the demos' code (e.g. Online Boutique's frontend renders a page
 * without ads when adservice fails, but fails when recommendationservice does); the per-service
 * numbers are plausible magnitudes for a small deployment, not measurements.
 */

export type ServiceKind = 'app' | 'datastore' | 'queue';
export type Runtime =
  | 'go'
  | 'java'
  | 'node'
  | 'python'
  | 'dotnet'
  | 'redis'
  | 'mongo'
  | 'mysql'
  | 'erlang';

export interface ServiceSpec {
  name: string;
  kind: ServiceKind;
  runtime: Runtime;
  host: string;
  /** Requests per second arriving from outside (the load generator), for the entry service. */
  entryRps?: number;
  /** A consumer's load follows another service's (queue-master ships what shipping queued). */
  loadFrom?: { service: string; factor: number };
  /** Own processing time per request, ms, at the median. */
  ownP50Ms: number;
  /** Own p99 / p50. */
  tailRatio: number;
  /** Share of requests failing in normal operation (bad input, client cancels). */
  baseErrorRate: number;
  cpuIdleCores: number;
  cpuPerRps: number;
  cpuLimitCores: number;
  memoryMb: number;
  memoryLimitMb: number;
  /** Port in client error messages. */
  port: number;
}

export interface CallSpec {
  from: string;
  to: string;
  type: 'CALLS' | 'DEPENDS_ON';
  /** Share of the caller's requests that make this call. */
  share: number;
  /** Calls per such request, one after the other. */
  calls: number;
  /** Share of the callee's failures that fail the caller's request (fallbacks and retries lower it). */
  errorPass: number;
  /** How long the caller waits before giving up on an unanswered call, ms. */
  timeoutMs: number;
}

export interface SystemSpec {
  name: string;
  services: ServiceSpec[];
  calls: CallSpec[];
}

/**
 * Metrics a service exposes: datastores have exporters for resource use and operations only,
 * unless `datastoreLatency` (the other-choices variant: exporters with latency histograms).
 */
export function metricsOf(service: ServiceSpec, datastoreLatency = false): string[] {
  if (service.kind === 'app') {
    return ['cpu', 'memory', 'latency_p50', 'latency_p99', 'error_rate', 'throughput'];
  }
  if (service.kind === 'queue') return ['cpu', 'memory', 'throughput', 'saturation'];
  if (datastoreLatency) return ['cpu', 'memory', 'latency_p50', 'latency_p99', 'throughput'];
  return ['cpu', 'memory', 'throughput'];
}

export function toRcaTopology(system: SystemSpec): RcaTopology {
  const edges: RcaEdge[] = [
    ...system.calls.map((c) => ({ from: c.from, to: c.to, type: c.type })),
    ...system.services.map((s) => ({ from: s.name, to: s.host, type: 'RUNS_ON' as const })),
  ];
  return { services: system.services.map((s) => s.name), edges };
}

type Numbers = Omit<ServiceSpec, 'name' | 'kind' | 'runtime' | 'host' | 'port'>;

function svc(
  name: string,
  kind: ServiceKind,
  runtime: Runtime,
  host: string,
  port: number,
  numbers: Numbers,
): ServiceSpec {
  return { name, kind, runtime, host, port, ...numbers };
}

function call(
  from: string,
  to: string,
  share: number,
  calls: number,
  errorPass = 1,
  timeoutMs = 3000,
  type: CallSpec['type'] = 'CALLS',
): CallSpec {
  return { from, to, type, share, calls, errorPass, timeoutMs };
}

const n = (
  ownP50Ms: number,
  tailRatio: number,
  baseErrorRate: number,
  cpu: [idle: number, perRps: number, limit: number],
  memory: [mb: number, limit: number],
  extra: Partial<Numbers> = {},
): Numbers => ({
  ownP50Ms,
  tailRatio,
  baseErrorRate,
  cpuIdleCores: cpu[0],
  cpuPerRps: cpu[1],
  cpuLimitCores: cpu[2],
  memoryMb: memory[0],
  memoryLimitMb: memory[1],
  ...extra,
});

/** Google's Online Boutique (microservices-demo): 10 services, Redis for carts. */
export const onlineBoutique: SystemSpec = {
  name: 'online-boutique',
  services: [
    svc(
      'frontend',
      'app',
      'go',
      'node-1',
      8080,
      n(6, 4, 0.002, [0.02, 0.004, 0.6], [64, 256], { entryRps: 60 }),
    ),
    svc(
      'cartservice',
      'app',
      'dotnet',
      'node-1',
      7070,
      n(3, 5, 0.001, [0.03, 0.004, 0.4], [120, 256]),
    ),
    svc(
      'productcatalogservice',
      'app',
      'go',
      'node-2',
      3550,
      n(1.5, 4, 0.0005, [0.01, 0.0012, 0.3], [40, 128]),
    ),
    svc(
      'currencyservice',
      'app',
      'node',
      'node-2',
      7000,
      n(1.2, 6, 0.0005, [0.02, 0.0012, 0.4], [90, 256]),
    ),
    svc(
      'paymentservice',
      'app',
      'node',
      'node-3',
      50051,
      n(6, 5, 0.002, [0.01, 0.01, 0.3], [80, 256]),
    ),
    svc(
      'shippingservice',
      'app',
      'go',
      'node-3',
      50051,
      n(2, 4, 0.001, [0.01, 0.003, 0.3], [30, 128]),
    ),
    svc(
      'emailservice',
      'app',
      'python',
      'node-2',
      8080,
      n(18, 3, 0.003, [0.02, 0.02, 0.3], [110, 256]),
    ),
    svc(
      'checkoutservice',
      'app',
      'go',
      'node-3',
      5050,
      n(12, 4, 0.002, [0.01, 0.01, 0.3], [40, 128]),
    ),
    svc(
      'recommendationservice',
      'app',
      'python',
      'node-2',
      8080,
      n(14, 3, 0.001, [0.03, 0.006, 0.5], [130, 450]),
    ),
    svc('adservice', 'app', 'java', 'node-1', 9555, n(3, 6, 0.001, [0.05, 0.004, 0.5], [280, 512])),
    svc(
      'redis-cart',
      'datastore',
      'redis',
      'node-1',
      6379,
      n(0.4, 3, 0, [0.01, 0.0006, 0.25], [30, 256]),
    ),
  ],
  calls: [
    call('frontend', 'productcatalogservice', 0.8, 3),
    call('frontend', 'currencyservice', 0.9, 4),
    call('frontend', 'cartservice', 0.6, 1),
    call('frontend', 'recommendationservice', 0.5, 1),
    call('frontend', 'adservice', 0.6, 1, 0), // the page renders without the ad
    call('frontend', 'shippingservice', 0.15, 1),
    call('frontend', 'checkoutservice', 0.04, 1, 1, 10000),
    call('checkoutservice', 'cartservice', 1, 2),
    call('checkoutservice', 'productcatalogservice', 1, 3),
    call('checkoutservice', 'currencyservice', 1, 4),
    call('checkoutservice', 'shippingservice', 1, 2),
    call('checkoutservice', 'paymentservice', 1, 1),
    call('checkoutservice', 'emailservice', 1, 1, 0), // a lost confirmation mail is only logged
    call('recommendationservice', 'productcatalogservice', 1, 1),
    call('cartservice', 'redis-cart', 1, 2, 1, 5000, 'DEPENDS_ON'),
  ],
};

/** Weaveworks' Sock Shop: Java, Go and Node services, MongoDB/MySQL/Redis stores and RabbitMQ. */
export const sockShop: SystemSpec = {
  name: 'sock-shop',
  services: [
    svc(
      'front-end',
      'app',
      'node',
      'node-1',
      8079,
      n(9, 5, 0.003, [0.03, 0.005, 0.5], [100, 300], { entryRps: 40 }),
    ),
    svc('orders', 'app', 'java', 'node-2', 80, n(25, 4, 0.002, [0.08, 0.03, 0.5], [380, 700])),
    svc('carts', 'app', 'java', 'node-2', 80, n(6, 6, 0.001, [0.08, 0.004, 0.5], [360, 700])),
    svc('catalogue', 'app', 'go', 'node-1', 80, n(2, 4, 0.0005, [0.01, 0.0015, 0.2], [20, 100])),
    svc('user', 'app', 'go', 'node-3', 80, n(3, 4, 0.001, [0.01, 0.002, 0.2], [25, 100])),
    svc('payment', 'app', 'go', 'node-3', 80, n(4, 3, 0.001, [0.005, 0.002, 0.1], [15, 100])),
    svc('shipping', 'app', 'java', 'node-3', 80, n(5, 4, 0.001, [0.06, 0.01, 0.4], [340, 600])),
    svc(
      'queue-master',
      'app',
      'java',
      'node-2',
      80,
      n(8, 3, 0.001, [0.05, 0.01, 0.4], [330, 600], {
        loadFrom: { service: 'shipping', factor: 1 },
      }),
    ),
    svc(
      'rabbitmq',
      'queue',
      'erlang',
      'node-3',
      5672,
      n(0.8, 3, 0, [0.03, 0.004, 0.5], [120, 512]),
    ),
    svc(
      'carts-db',
      'datastore',
      'mongo',
      'node-2',
      27017,
      n(1.5, 5, 0, [0.03, 0.002, 0.5], [260, 1024]),
    ),
    svc(
      'orders-db',
      'datastore',
      'mongo',
      'node-2',
      27017,
      n(2, 5, 0, [0.02, 0.004, 0.5], [240, 1024]),
    ),
    svc(
      'catalogue-db',
      'datastore',
      'mysql',
      'node-1',
      3306,
      n(1.2, 4, 0, [0.02, 0.001, 0.5], [210, 1024]),
    ),
    svc(
      'user-db',
      'datastore',
      'mongo',
      'node-3',
      27017,
      n(1.2, 4, 0, [0.02, 0.002, 0.5], [230, 1024]),
    ),
    svc(
      'session-db',
      'datastore',
      'redis',
      'node-1',
      6379,
      n(0.3, 3, 0, [0.01, 0.0003, 0.25], [20, 256]),
    ),
  ],
  calls: [
    call('front-end', 'session-db', 1, 1, 1, 2000, 'DEPENDS_ON'),
    call('front-end', 'catalogue', 0.7, 2),
    call('front-end', 'carts', 0.4, 1),
    call('front-end', 'user', 0.25, 1),
    call('front-end', 'orders', 0.03, 1, 1, 10000),
    call('orders', 'user', 1, 3), // customer, address and card links
    call('orders', 'carts', 1, 1),
    call('orders', 'payment', 1, 1),
    call('orders', 'shipping', 1, 1),
    call('orders', 'orders-db', 1, 2, 1, 5000, 'DEPENDS_ON'),
    call('carts', 'carts-db', 1, 2, 1, 5000, 'DEPENDS_ON'),
    call('catalogue', 'catalogue-db', 1, 1, 1, 5000, 'DEPENDS_ON'),
    call('user', 'user-db', 1, 1, 1, 5000, 'DEPENDS_ON'),
    call('shipping', 'rabbitmq', 1, 1, 1, 5000, 'DEPENDS_ON'),
    call('queue-master', 'rabbitmq', 1, 1, 1, 5000, 'DEPENDS_ON'),
  ],
};

export const SYSTEMS: readonly SystemSpec[] = [onlineBoutique, sockShop];
