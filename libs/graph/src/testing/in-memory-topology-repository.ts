import type { EdgeType, EntityKind, TopologyEntity, TopologyEvent } from '@vigil/contracts';
import type { ObservedCalls } from '../observed-calls';
import {
  maxNeighbourhoodHops,
  type GraphEdge,
  type GraphNode,
  type Subgraph,
  type TopologyRepository,
} from '../topology-repository';

type Edge = GraphEdge & { observedAt?: number };
const edgeKey = (e: { type: EdgeType; from: string; to: string }) => `${e.type} ${e.from} ${e.to}`;

/**
 * The topology repository's interface over plain maps, for specs of the services that read the
 * graph: no Neo4j. It keeps what the specs need (entities, edges, the k-hop neighbourhood, the
 * whole topology); event ordering by time is the Neo4j repository's and is not modelled here.
 */
export class InMemoryTopologyRepository
  implements Pick<TopologyRepository, keyof TopologyRepository>
{
  private readonly entities = new Map<string, GraphNode>();
  private readonly edges = new Map<string, Edge>();

  /** This object where a TopologyRepository is injected. */
  get repository(): TopologyRepository {
    return this as unknown as TopologyRepository;
  }

  async upsertEntity(entity: TopologyEntity): Promise<void> {
    const before = this.entities.get(entity.id);
    this.entities.set(entity.id, {
      id: entity.id,
      kind: entity.kind,
      name: entity.name ?? entity.id,
      properties: { ...before?.properties, ...entity.properties },
    });
  }

  async deleteEntity(id: string): Promise<void> {
    this.entities.delete(id);
    for (const [key, edge] of this.edges)
      if (edge.from === id || edge.to === id) this.edges.delete(key);
  }

  async upsertEdge(edge: {
    type: EdgeType;
    from: string;
    to: string;
    properties?: Record<string, unknown>;
  }): Promise<void> {
    for (const id of [edge.from, edge.to])
      if (!this.entities.has(id))
        this.entities.set(id, { id, kind: null, name: null, properties: {} });
    const before = this.edges.get(edgeKey(edge));
    this.edges.set(edgeKey(edge), {
      ...before,
      from: edge.from,
      to: edge.to,
      type: edge.type,
      properties: { ...before?.properties, ...edge.properties },
    });
  }

  async deleteEdge(edge: { type: EdgeType; from: string; to: string }): Promise<void> {
    this.edges.delete(edgeKey(edge));
  }

  async addObservedCalls(sum: ObservedCalls): Promise<void> {
    await this.upsertEdge({ type: 'CALLS', from: sum.caller, to: sum.callee });
    const edge = this.edges.get(edgeKey({ type: 'CALLS', from: sum.caller, to: sum.callee }));
    if (edge) edge.observedAt = sum.lastSeenAt;
  }

  async observedCallsFloor(): Promise<number> {
    return -1;
  }

  async apply(event: TopologyEvent): Promise<void> {
    switch (event.op) {
      case 'entity.upsert':
        return this.upsertEntity(event.entity);
      case 'entity.delete':
        return this.deleteEntity(event.entityId);
      case 'edge.upsert':
        return this.upsertEdge(event.edge);
      case 'edge.delete':
        return this.deleteEdge(event.edge);
    }
  }

  async neighbourhood(ids: readonly string[], hops: number): Promise<Subgraph> {
    if (!Number.isInteger(hops) || hops < 0 || hops > maxNeighbourhoodHops)
      throw new RangeError(
        `hops must be an integer from 0 to ${maxNeighbourhoodHops}, got ${hops}`,
      );
    let reached = new Set(ids.filter((id) => this.entities.has(id)));
    for (let hop = 0; hop < hops; hop++) {
      const next = new Set(reached);
      for (const edge of this.edges.values()) {
        if (reached.has(edge.from)) next.add(edge.to);
        if (reached.has(edge.to)) next.add(edge.from);
      }
      reached = next;
    }
    const nodes = [...reached].flatMap((id) => {
      const node = this.entities.get(id);
      return node ? [structuredClone(node)] : [];
    });
    const edges = [...this.edges.values()]
      .filter((e) => reached.has(e.from) && reached.has(e.to))
      .map(({ from, to, type, properties }) => ({ from, to, type, properties: { ...properties } }));
    return { nodes, edges };
  }

  async wholeTopology(observedSince = 0): Promise<{
    entities: Array<{ id: string; kind: EntityKind | null }>;
    edges: Array<Omit<GraphEdge, 'properties'>>;
  }> {
    return {
      entities: [...this.entities.values()].map(({ id, kind }) => ({ id, kind })),
      edges: [...this.edges.values()]
        .filter((e) => e.observedAt === undefined || e.observedAt >= observedSince)
        .map(({ from, to, type }) => ({ from, to, type })),
    };
  }

  async entityCount(): Promise<number> {
    return this.entities.size;
  }

  async findEntity(id: string): Promise<GraphNode | undefined> {
    const node = this.entities.get(id);
    return node && structuredClone(node);
  }
}
