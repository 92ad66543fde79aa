import type { TopologyGraph } from '@vigil/contracts';
import { Rng } from './prng';

/**
 * The system every scenario runs on: a 28-service online shop with 9 datastores, deployed to two
 * Kubernetes clusters (prod-eu-1, prod-us-1) of 8 nodes each, plus 4 database VMs per region.
 * Who owns a service decides which tools and wording its alerts come in (see rules/).
 */
export type Team =
  | 'platform'
  | 'storefront'
  | 'checkout'
  | 'payments'
  | 'catalog'
  | 'identity'
  | 'fulfilment'
  | 'data';
export type Language = 'java' | 'go' | 'node' | 'python';
export type Engine = 'postgres' | 'redis' | 'mongodb' | 'elasticsearch' | 'kafka';

export interface ServiceDef {
  name: string;
  team: Team;
  namespace: string;
  language: Language;
  replicas: number;
  calls: string[];
  dependsOn: string[];
}

export interface DatastoreDef {
  name: string;
  engine: Engine;
  namespace: string;
  port: number;
  /** On a database VM (one host per region) rather than a StatefulSet on the Kubernetes nodes. */
  onVm: boolean;
  replicas: number;
}

export interface NodeDef {
  name: string;
  ip: string;
}

export interface Pod {
  name: string;
  ip: string;
  node: string;
  /** The workload (service or datastore) the pod belongs to. */
  owner: string;
}

export interface ClusterModel {
  name: string;
  /** AWS region, as CloudWatch and host names spell it. */
  region: string;
  nodes: NodeDef[];
  dbHosts: NodeDef[];
}

const svc = (
  name: string,
  team: Team,
  namespace: string,
  language: Language,
  replicas: number,
  calls: string[] = [],
  dependsOn: string[] = [],
): ServiceDef => ({ name, team, namespace, language, replicas, calls, dependsOn });

export const SERVICES: readonly ServiceDef[] = [
  svc('api-gateway', 'platform', 'edge', 'go', 4, ['auth', 'storefront-bff', 'mobile-bff']),
  svc('storefront-bff', 'storefront', 'storefront', 'node', 4, [
    'catalog',
    'search',
    'cart',
    'checkout',
    'recommendation',
    'user-profile',
    'ad-service',
    'review',
  ]),
  svc('mobile-bff', 'storefront', 'storefront', 'node', 3, [
    'catalog',
    'search',
    'cart',
    'checkout',
    'user-profile',
    'loyalty',
  ]),
  svc(
    'auth',
    'identity',
    'identity',
    'go',
    3,
    ['user-profile'],
    ['redis-session', 'postgres-users'],
  ),
  svc('user-profile', 'identity', 'identity', 'java', 3, [], ['postgres-users']),
  svc('loyalty', 'identity', 'identity', 'node', 2, [], ['postgres-users']),
  svc('catalog', 'catalog', 'catalog', 'java', 3, ['pricing', 'inventory'], ['mongodb-catalog']),
  svc('search', 'catalog', 'catalog', 'python', 3, [], ['elasticsearch']),
  svc('inventory', 'catalog', 'catalog', 'java', 3, [], ['postgres-orders']),
  svc('recommendation', 'storefront', 'storefront', 'python', 3, ['catalog'], ['redis-reco']),
  svc('ad-service', 'storefront', 'storefront', 'java', 2),
  svc('review', 'storefront', 'storefront', 'python', 2, [], ['mongodb-catalog']),
  svc('cart', 'checkout', 'checkout', 'go', 3, ['pricing'], ['redis-cart']),
  svc('checkout', 'checkout', 'checkout', 'java', 3, [
    'cart',
    'pricing',
    'tax',
    'payment',
    'inventory',
    'order',
    'shipping',
  ]),
  svc('pricing', 'checkout', 'checkout', 'go', 3, ['currency']),
  svc('currency', 'checkout', 'checkout', 'node', 2),
  svc('tax', 'checkout', 'checkout', 'python', 2),
  svc('order', 'checkout', 'checkout', 'java', 3, [], ['postgres-orders', 'kafka']),
  svc(
    'payment',
    'payments',
    'payments',
    'java',
    3,
    ['fraud-check', 'psp-connector'],
    ['postgres-payments'],
  ),
  svc('fraud-check', 'payments', 'payments', 'python', 2, [], ['postgres-payments']),
  svc('psp-connector', 'payments', 'payments', 'java', 2),
  svc('invoice', 'payments', 'payments', 'java', 2, [], ['kafka', 'postgres-payments']),
  svc('shipping', 'fulfilment', 'fulfilment', 'go', 2, ['carrier-gateway'], ['postgres-orders']),
  svc('carrier-gateway', 'fulfilment', 'fulfilment', 'node', 2),
  svc('warehouse-sync', 'fulfilment', 'fulfilment', 'java', 2, [], ['kafka', 'postgres-orders']),
  svc('notification', 'fulfilment', 'fulfilment', 'node', 2, ['email', 'sms-gateway'], ['kafka']),
  svc('email', 'fulfilment', 'fulfilment', 'python', 2),
  svc('sms-gateway', 'fulfilment', 'fulfilment', 'go', 2),
];

export const DATASTORES: readonly DatastoreDef[] = [
  {
    name: 'postgres-users',
    engine: 'postgres',
    namespace: 'db',
    port: 5432,
    onVm: true,
    replicas: 1,
  },
  {
    name: 'postgres-orders',
    engine: 'postgres',
    namespace: 'db',
    port: 5432,
    onVm: true,
    replicas: 1,
  },
  {
    name: 'postgres-payments',
    engine: 'postgres',
    namespace: 'db',
    port: 5432,
    onVm: true,
    replicas: 1,
  },
  {
    name: 'mongodb-catalog',
    engine: 'mongodb',
    namespace: 'db',
    port: 27017,
    onVm: true,
    replicas: 1,
  },
  {
    name: 'redis-session',
    engine: 'redis',
    namespace: 'cache',
    port: 6379,
    onVm: false,
    replicas: 2,
  },
  { name: 'redis-cart', engine: 'redis', namespace: 'cache', port: 6379, onVm: false, replicas: 2 },
  { name: 'redis-reco', engine: 'redis', namespace: 'cache', port: 6379, onVm: false, replicas: 1 },
  {
    name: 'elasticsearch',
    engine: 'elasticsearch',
    namespace: 'search',
    port: 9200,
    onVm: false,
    replicas: 3,
  },
  { name: 'kafka', engine: 'kafka', namespace: 'messaging', port: 9092, onVm: false, replicas: 3 },
];

export interface ClusterSpec {
  name: string;
  region: string;
  /** Second octet of the VPC, so node and pod addresses differ between regions. */
  octet: number;
  /** Short region code in database VM names. */
  code: string;
}

export const CLUSTER_SPECS: readonly ClusterSpec[] = [
  { name: 'prod-eu-1', region: 'eu-west-1', octet: 21, code: 'eu1' },
  { name: 'prod-us-1', region: 'us-east-1', octet: 61, code: 'us1' },
];

/** The whole deployment, placement fixed by the seed; pod names depend on a rollout generation. */
export class SystemModel {
  readonly services: readonly ServiceDef[] = SERVICES;
  readonly datastores: readonly DatastoreDef[] = DATASTORES;
  readonly clusters: readonly ClusterModel[];
  private readonly slots = new Map<string, string[]>(); // cluster/workload -> node per replica
  private readonly vmHost = new Map<string, string>(); // cluster/datastore -> db VM

  constructor(private readonly rng: Rng) {
    this.clusters = CLUSTER_SPECS.map((spec) => this.buildCluster(spec));
    for (const cluster of this.clusters) this.place(cluster);
  }

  cluster(name: string): ClusterModel {
    const found = this.clusters.find((c) => c.name === name);
    if (!found) throw new Error(`no cluster ${name}`);
    return found;
  }

  service(name: string): ServiceDef {
    const found = this.services.find((s) => s.name === name);
    if (!found) throw new Error(`no service ${name}`);
    return found;
  }

  datastore(name: string): DatastoreDef {
    const found = this.datastores.find((d) => d.name === name);
    if (!found) throw new Error(`no datastore ${name}`);
    return found;
  }

  isDatastore(name: string): boolean {
    return this.datastores.some((d) => d.name === name);
  }

  /** Services that call `name` or depend on it (one hop upstream). */
  callersOf(name: string): ServiceDef[] {
    return this.services.filter((s) => s.calls.includes(name) || s.dependsOn.includes(name));
  }

  /** Pods of a workload; `generation` changes names only (a rollout makes new pods). */
  pods(cluster: string, workload: string, generation: string): Pod[] {
    const nodes = this.slots.get(`${cluster}/${workload}`);
    if (!nodes) throw new Error(`${workload} does not run on Kubernetes in ${cluster}`);
    const model = this.cluster(cluster);
    const naming = this.rng.fork(`pods/${cluster}/${workload}/${generation}`);
    const replicaSet = naming.token(naming.int(9, 10));
    const statefulSet = this.isDatastore(workload);
    return nodes.map((node, i) => {
      const nodeDef = model.nodes.find((n) => n.name === node) as NodeDef;
      return {
        name: statefulSet ? `${workload}-${i}` : `${workload}-${replicaSet}-${naming.token(5)}`,
        ip: podIp(nodeDef.ip, naming.int(2, 250)),
        node,
        owner: workload,
      };
    });
  }

  /** Workloads with at least one pod on a node. */
  residentsOf(cluster: string, node: string): string[] {
    const out: string[] = [];
    for (const [key, nodes] of this.slots) {
      const [c, workload] = key.split('/');
      if (c === cluster && nodes.includes(node)) out.push(workload);
    }
    return out;
  }

  /** The database VM of a datastore that runs on one. */
  vmOf(cluster: string, datastore: string): NodeDef {
    const host = this.vmHost.get(`${cluster}/${datastore}`);
    if (!host) throw new Error(`${datastore} does not run on a VM`);
    return this.cluster(cluster).dbHosts.find((h) => h.name === host) as NodeDef;
  }

  /** Services, datastores and hosts as the correlator sees them (one logical graph). */
  topology(): TopologyGraph {
    const edges: TopologyGraph['edges'] = [];
    for (const s of this.services) {
      for (const to of s.calls) edges.push({ from: s.name, to, type: 'CALLS' });
      for (const to of s.dependsOn) edges.push({ from: s.name, to, type: 'DEPENDS_ON' });
    }
    for (const [key, nodes] of this.slots) {
      const workload = key.split('/')[1];
      for (const node of new Set(nodes)) edges.push({ from: workload, to: node, type: 'RUNS_ON' });
    }
    for (const [key, host] of this.vmHost)
      edges.push({ from: key.split('/')[1], to: host, type: 'RUNS_ON' });
    const hosts = this.clusters.flatMap((c) => [...c.nodes, ...c.dbHosts].map((n) => n.name));
    return {
      services: [
        ...this.services.map((s) => s.name),
        ...this.datastores.map((d) => d.name),
        ...hosts,
      ],
      edges,
    };
  }

  private buildCluster(spec: ClusterSpec): ClusterModel {
    const r = this.rng.fork(`cluster/${spec.name}`);
    const nodes = Array.from({ length: 8 }, () => {
      const ip = `10.${spec.octet}.${r.int(32, 95)}.${r.int(4, 250)}`;
      return { name: `ip-${ip.replace(/\./g, '-')}.${spec.region}.compute.internal`, ip };
    });
    const dbHosts = Array.from({ length: 4 }, (_, i) => ({
      name: `db-${spec.code}-0${i + 1}`,
      ip: `10.${spec.octet}.${r.int(200, 220)}.${r.int(4, 250)}`,
    }));
    return { name: spec.name, region: spec.region, nodes, dbHosts };
  }

  /** Replicas spread over distinct nodes where possible, like the default pod anti-affinity. */
  private place(cluster: ClusterModel): void {
    const r = this.rng.fork(`placement/${cluster.name}`);
    const nodeNames = cluster.nodes.map((n) => n.name);
    const workloads = [
      ...this.services.map((s) => [s.name, s.replicas] as const),
      ...this.datastores.filter((d) => !d.onVm).map((d) => [d.name, d.replicas] as const),
    ];
    for (const [name, replicas] of workloads) {
      const order = r.shuffle(nodeNames);
      const nodes = Array.from({ length: replicas }, (_, i) => order[i % order.length]);
      this.slots.set(`${cluster.name}/${name}`, nodes);
    }
    this.datastores
      .filter((d) => d.onVm)
      .forEach((d, i) => this.vmHost.set(`${cluster.name}/${d.name}`, cluster.dbHosts[i].name));
  }
}

function podIp(nodeIp: string, last: number): string {
  const [a, b, c] = nodeIp.split('.');
  return `${a}.${b}.${Number(c) + 100}.${last}`;
}
