import type { EdgeType, EntityKind, TopologyEntity, TopologyEvent } from '@vigil/contracts';
import type { Neo4jConnection } from './neo4j-connection';
import type { ObservedCalls } from './observed-calls';
import {
  allEdgesCypher,
  allEntityIdsCypher,
  deleteEdgeCypher,
  deleteEntityCypher,
  edgesAmongCypher,
  entityCountCypher,
  neighbourhoodNodesCypher,
  observedCallsCypher,
  observedCallsFloorCypher,
  upsertEdgeCypher,
  upsertEntityCypher,
} from './topology-cypher';

export interface GraphNode {
  id: string;
  kind: EntityKind | null;
  name: string | null;
  properties: Record<string, unknown>;
}

export interface GraphEdge {
  from: string;
  to: string;
  type: EdgeType;
  properties: Record<string, unknown>;
}

export interface Subgraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const maxNeighbourhoodHops = 6;

// Bookkeeping fields the graph owns; event properties may not overwrite them.
const reservedProperties = new Set(['id', 'kind', 'name', 'updatedAt', 'lastEventId']);
// On edges also what spans observed: a declaration cannot fake or reset observed traffic.
const reservedEdgeProperties = new Set([
  ...reservedProperties,
  'declared',
  'observed',
  'calls',
  'errors',
  'firstSeenAt',
  'lastSeenAt',
  'meanDurationMs',
  'timedCalls',
  'spanOffsets',
]);

function userProperties(
  properties: Record<string, unknown>,
  reserved: ReadonlySet<string> = reservedProperties,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([key]) => !reserved.has(key)));
}

function withoutBookkeeping(properties: Record<string, unknown>): Record<string, unknown> {
  const {
    updatedAt: _u,
    lastEventId: _l,
    id: _i,
    kind: _k,
    name: _n,
    spanOffsets: _s,
    ...rest
  } = properties;
  return rest;
}

/** The topology in Neo4j: entities (services, instances, hosts, databases, queues) and their edges. */
export class TopologyRepository {
  constructor(private readonly connection: Neo4jConnection) {}

  async upsertEntity(entity: TopologyEntity, at: number, eventId = ''): Promise<void> {
    await this.connection.write(upsertEntityCypher(entity.kind), {
      id: entity.id,
      kind: entity.kind,
      name: entity.name ?? entity.id,
      at,
      eventId,
      properties: userProperties(entity.properties),
    });
  }

  async deleteEntity(id: string, at: number): Promise<void> {
    await this.connection.write(deleteEntityCypher, { id, at });
  }

  async upsertEdge(
    edge: { type: EdgeType; from: string; to: string; properties?: Record<string, unknown> },
    at: number,
  ): Promise<void> {
    await this.connection.write(upsertEdgeCypher(edge.type), {
      from: edge.from,
      to: edge.to,
      at,
      properties: userProperties(edge.properties ?? {}, reservedEdgeProperties),
    });
  }

  /** Adds observed calls to their CALLS edge (see observedCallsCypher); a replay changes nothing. */
  async addObservedCalls(sum: ObservedCalls): Promise<void> {
    await this.connection.write(observedCallsCypher, { ...sum });
  }

  /** The last offset of `partition` already counted on the edge, so a replay is skipped. */
  async observedCallsFloor(edge: {
    caller: string;
    callee: string;
    partition: number;
  }): Promise<number> {
    const { caller, callee, partition } = edge;
    const result = await this.connection.read(observedCallsFloorCypher, {
      caller,
      callee,
      partition,
    });
    return Number(result.records[0]?.get('floor') ?? -1);
  }

  async deleteEdge(edge: { type: EdgeType; from: string; to: string }, at: number): Promise<void> {
    await this.connection.write(deleteEdgeCypher(edge.type), { from: edge.from, to: edge.to, at });
  }

  /** Applies one `vigil.topology.v1` event; applying it again changes nothing. */
  async apply(event: TopologyEvent): Promise<void> {
    const at = Date.parse(event.occurredAt);
    switch (event.op) {
      case 'entity.upsert':
        return this.upsertEntity(event.entity, at, event.eventId);
      case 'entity.delete':
        return this.deleteEntity(event.entityId, at);
      case 'edge.upsert':
        return this.upsertEdge(event.edge, at);
      case 'edge.delete':
        return this.deleteEdge(event.edge, at);
    }
  }

  /** The entities within `hops` edges (any direction) of the given ones, and the edges among them. */
  async neighbourhood(ids: readonly string[], hops: number): Promise<Subgraph> {
    if (!Number.isInteger(hops) || hops < 0 || hops > maxNeighbourhoodHops) {
      throw new RangeError(
        `hops must be an integer from 0 to ${maxNeighbourhoodHops}, got ${hops}`,
      );
    }
    if (ids.length === 0) return { nodes: [], edges: [] };
    const nodeResult = await this.connection.read(neighbourhoodNodesCypher(hops), {
      ids: [...ids],
    });
    const nodes: GraphNode[] = nodeResult.records.map((r) => ({
      id: r.get('id') as string,
      kind: (r.get('kind') as EntityKind | null) ?? null,
      name: (r.get('name') as string | null) ?? null,
      properties: withoutBookkeeping(r.get('properties') as Record<string, unknown>),
    }));
    const edgeResult = await this.connection.read(edgesAmongCypher, {
      ids: nodes.map((n) => n.id),
    });
    const edges: GraphEdge[] = edgeResult.records.map((r) => ({
      from: r.get('from') as string,
      to: r.get('to') as string,
      type: r.get('type') as EdgeType,
      properties: withoutBookkeeping(r.get('properties') as Record<string, unknown>),
    }));
    return { nodes, edges };
  }

  /** The whole topology as plain data, for in-memory use (the correlator's service graph). */
  /**
   * Every entity and edge; an edge known only from spans is left out once its last call is older
   * than `observedSince` (epoch ms; default: all of them).
   */
  async wholeTopology(observedSince = 0): Promise<{
    entities: Array<{ id: string; kind: EntityKind | null }>;
    edges: Array<Omit<GraphEdge, 'properties'>>;
  }> {
    const [entityResult, edgeResult] = await Promise.all([
      this.connection.read(allEntityIdsCypher),
      this.connection.read(allEdgesCypher, { observedSince }),
    ]);
    return {
      entities: entityResult.records.map((r) => ({
        id: r.get('id') as string,
        kind: (r.get('kind') as EntityKind | null) ?? null,
      })),
      edges: edgeResult.records.map((r) => ({
        from: r.get('from') as string,
        to: r.get('to') as string,
        type: r.get('type') as EdgeType,
      })),
    };
  }

  async entityCount(): Promise<number> {
    const result = await this.connection.read(entityCountCypher);
    return Number(result.records[0]?.get('count') ?? 0);
  }

  async findEntity(id: string): Promise<GraphNode | undefined> {
    const { nodes } = await this.neighbourhood([id], 0);
    return nodes[0];
  }
}
