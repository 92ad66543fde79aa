import type { TopologyGraph } from '@vigil/contracts';

/**
 * Answers "how are these two entities related?" for correlation: dependency distance along
 * CALLS / DEPENDS_ON (faults travel from a callee to its callers, so either direction counts) and
 * shared hosts along RUNS_ON. Distances are memoized per source, so a storm costs one BFS each.
 */
export class ServiceGraph {
  private readonly dependencies = new Map<string, Set<string>>();
  private readonly hostsOf = new Map<string, Set<string>>();
  private readonly residents = new Map<string, Set<string>>();
  private readonly distanceCache = new Map<string, Map<string, number>>();

  constructor(
    data: TopologyGraph,
    private readonly maxHops: number,
  ) {
    for (const edge of data.edges) {
      if (edge.type === 'RUNS_ON') {
        addTo(this.hostsOf, edge.from, edge.to);
        addTo(this.residents, edge.to, edge.from);
      } else {
        addTo(this.dependencies, edge.from, edge.to);
        addTo(this.dependencies, edge.to, edge.from);
      }
    }
  }

  static empty(): ServiceGraph {
    return new ServiceGraph({ services: [], edges: [] }, 0);
  }

  /** Hops between two services along dependency edges, or undefined beyond maxHops. */
  dependencyDistance(a: string, b: string): number | undefined {
    if (a === b) return 0;
    return this.distancesFrom(a).get(b);
  }

  /** Hosts an entity runs on; an entity that is itself a host counts as its own host. */
  hosts(entity: string): ReadonlySet<string> {
    const hosts = new Set(this.hostsOf.get(entity) ?? []);
    if (this.residents.has(entity)) hosts.add(entity);
    return hosts;
  }

  /** Services and instances that run on a host: a node failure reaches all of them. */
  residentsOf(host: string): ReadonlySet<string> {
    return this.residents.get(host) ?? new Set();
  }

  private distancesFrom(source: string): Map<string, number> {
    const cached = this.distanceCache.get(source);
    if (cached) return cached;
    const distances = new Map<string, number>([[source, 0]]);
    let frontier = [source];
    for (let hop = 1; hop <= this.maxHops && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const node of frontier) {
        for (const neighbour of this.dependencies.get(node) ?? []) {
          if (distances.has(neighbour)) continue;
          distances.set(neighbour, hop);
          next.push(neighbour);
        }
      }
      frontier = next;
    }
    this.distanceCache.set(source, distances);
    return distances;
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}
