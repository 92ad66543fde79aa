import type { EdgeType, EntityKind } from '@vigil/contracts';

// Labels and relationship types cannot be query parameters; they come only from these closed maps,
// never from event text.
export const kindLabels: Record<EntityKind, string> = {
  service: 'Service',
  instance: 'Instance',
  host: 'Host',
  database: 'Database',
  queue: 'Queue',
};
const allKindLabels = Object.values(kindLabels).join(':');

export const edgeTypes: Record<EdgeType, EdgeType> = {
  CALLS: 'CALLS',
  RUNS_ON: 'RUNS_ON',
  DEPENDS_ON: 'DEPENDS_ON',
};

/**
 * Entities carry `updatedAt` (epoch ms of the event that last changed them): an event older than
 * that is ignored, so a replay after a restart cannot undo newer state, and the same event twice
 * changes nothing.
 */
export function upsertEntityCypher(kind: EntityKind): string {
  return `
MERGE (e:Entity {id: $id})
WITH e WHERE coalesce(e.updatedAt, -1) <= $at
REMOVE e:${allKindLabels}
SET e:${kindLabels[kind]}, e.kind = $kind, e.name = $name, e.updatedAt = $at, e.lastEventId = $eventId
SET e += $properties
RETURN e.id AS id`;
}

export const deleteEntityCypher = `
MATCH (e:Entity {id: $id}) WHERE coalesce(e.updatedAt, -1) <= $at
DETACH DELETE e`;

/** Endpoints an edge names before their own upsert arrive are created as bare entities. */
export function upsertEdgeCypher(type: EdgeType): string {
  return `
MERGE (a:Entity {id: $from})
MERGE (b:Entity {id: $to})
MERGE (a)-[r:${edgeTypes[type]}]->(b)
WITH r WHERE coalesce(r.updatedAt, -1) <= $at
SET r += $properties, r.updatedAt = $at
RETURN r IS NOT NULL AS changed`;
}

export function deleteEdgeCypher(type: EdgeType): string {
  return `
MATCH (:Entity {id: $from})-[r:${edgeTypes[type]}]->(:Entity {id: $to})
WHERE coalesce(r.updatedAt, -1) <= $at
DELETE r`;
}

/**
 * Hop count is an integer validated by the caller; variable-length bounds cannot be parameters.
 * Deduplicated by aggregation, not `WITH DISTINCT n`: Neo4j 5.26 plans the latter as a pruning
 * BFS expand that is distinct per start node only, so a node near two start nodes came back twice.
 */
export function neighbourhoodNodesCypher(hops: number): string {
  return `
MATCH (s:Entity) WHERE s.id IN $ids
MATCH (s)-[*0..${hops}]-(n:Entity)
WITH n, count(*) AS routes
RETURN n.id AS id, n.kind AS kind, n.name AS name, properties(n) AS properties`;
}

export const edgesAmongCypher = `
MATCH (a:Entity)-[r]->(b:Entity)
WHERE a.id IN $ids AND b.id IN $ids
RETURN a.id AS from, b.id AS to, type(r) AS type, properties(r) AS properties`;

export const entityCountCypher = 'MATCH (e:Entity) RETURN count(e) AS count';

export const allEntityIdsCypher = 'MATCH (e:Entity) RETURN e.id AS id, e.kind AS kind';

export const allEdgesCypher = `
MATCH (a:Entity)-[r:CALLS|DEPENDS_ON|RUNS_ON]->(b:Entity)
RETURN a.id AS from, b.id AS to, type(r) AS type`;
