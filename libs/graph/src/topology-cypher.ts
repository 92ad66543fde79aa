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

/**
 * Endpoints an edge names before their own upsert arrive are created as bare entities. A declared
 * edge is marked `declared`; `+=` keeps what spans observed on the same edge (observedCallsCypher).
 */
export function upsertEdgeCypher(type: EdgeType): string {
  return `
MERGE (a:Entity {id: $from})
MERGE (b:Entity {id: $to})
MERGE (a)-[r:${edgeTypes[type]}]->(b)
WITH r WHERE coalesce(r.updatedAt, -1) <= $at
SET r += $properties, r.updatedAt = $at, r.declared = true
RETURN r IS NOT NULL AS changed`;
}

/** A delete older than the last observed call of the edge is itself outdated: the edge stays. */
export function deleteEdgeCypher(type: EdgeType): string {
  return `
MATCH (:Entity {id: $from})-[r:${edgeTypes[type]}]->(:Entity {id: $to})
WHERE coalesce(r.updatedAt, -1) <= $at AND coalesce(r.lastSeenAt, -1) <= $at
DELETE r`;
}

/**
 * Adds one flush of observed calls to a CALLS edge, creating the edge and any missing endpoint (as
 * a service; a later entity upsert may correct the kind, as such an endpoint has no updatedAt).
 * Counts add up and lastSeenAt only moves forward, so a late span cannot make the edge look older.
 * `spanOffsets[partition]` is the last vigil.spans.v1 offset counted: a flush that holds nothing
 * newer (a replay) changes nothing. Declared properties and `updatedAt` are not touched.
 */
export const observedCallsCypher = `
MERGE (a:Entity {id: $caller})
MERGE (b:Entity {id: $callee})
FOREACH (n IN [x IN [a, b] WHERE x.kind IS NULL] |
  SET n:Service, n.kind = 'service', n.name = coalesce(n.name, n.id))
MERGE (a)-[r:CALLS]->(b)
WITH r, coalesce(r.spanOffsets, []) AS floors, toInteger($partition) AS p
WHERE coalesce(floors[p], -1) < toInteger($lastOffset)
SET r.observed = true,
  r.calls = coalesce(r.calls, 0) + toInteger($calls),
  r.errors = coalesce(r.errors, 0) + toInteger($errors),
  r.firstSeenAt = CASE WHEN r.firstSeenAt IS NULL OR $firstSeenAt < r.firstSeenAt
    THEN $firstSeenAt ELSE r.firstSeenAt END,
  r.lastSeenAt = CASE WHEN r.lastSeenAt IS NULL OR $lastSeenAt > r.lastSeenAt
    THEN $lastSeenAt ELSE r.lastSeenAt END,
  r.meanDurationMs = CASE WHEN coalesce(r.timedCalls, 0) + $timedCalls = 0 THEN r.meanDurationMs
    ELSE (coalesce(r.meanDurationMs, 0.0) * coalesce(r.timedCalls, 0) + $durationMsTotal)
      / (coalesce(r.timedCalls, 0) + $timedCalls) END,
  r.timedCalls = coalesce(r.timedCalls, 0) + toInteger($timedCalls),
  r.spanOffsets = [i IN range(0, CASE WHEN size(floors) > p THEN size(floors) - 1 ELSE p END) |
    CASE WHEN i = p THEN toInteger($lastOffset) ELSE coalesce(floors[i], -1) END]
RETURN r.calls AS calls`;

/** The last vigil.spans.v1 offset of a partition already counted on a CALLS edge, -1 if none. */
export const observedCallsFloorCypher = `
OPTIONAL MATCH (:Entity {id: $caller})-[r:CALLS]->(:Entity {id: $callee})
RETURN coalesce(r.spanOffsets[toInteger($partition)], -1) AS floor`;

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

// Declared edges always count; an edge only ever observed in spans counts while it is fresh.
export const allEdgesCypher = `
MATCH (a:Entity)-[r:CALLS|DEPENDS_ON|RUNS_ON]->(b:Entity)
WHERE r.observed IS NULL OR r.declared = true OR r.lastSeenAt >= $observedSince
RETURN a.id AS from, b.id AS to, type(r) AS type`;
