import { z } from 'zod';
import { attributeMap, entityName, isoTime, schemaVersion1 } from './common';

export const entityKind = z.enum(['service', 'instance', 'host', 'database', 'queue']);
export const edgeType = z.enum(['CALLS', 'RUNS_ON', 'DEPENDS_ON']);

export const topologyEntitySchema = z.object({
  id: entityName,
  kind: entityKind,
  name: z.string().min(1).max(200).optional(),
  properties: attributeMap.default({}),
});

export const topologyEdgeSchema = z.object({
  type: edgeType,
  from: entityName,
  to: entityName,
  properties: attributeMap.default({}),
});

const eventBase = {
  schemaVersion: schemaVersion1,
  eventId: z.string().min(1).max(200),
  source: z.string().min(1).max(100),
  occurredAt: isoTime,
};

/** Upserts and deletes of entities and edges on `vigil.topology.v1`, keyed by entity id (edges: by `from`). */
export const topologyEventSchema = z.discriminatedUnion('op', [
  z.object({ ...eventBase, op: z.literal('entity.upsert'), entity: topologyEntitySchema }),
  z.object({ ...eventBase, op: z.literal('entity.delete'), entityId: entityName }),
  z.object({ ...eventBase, op: z.literal('edge.upsert'), edge: topologyEdgeSchema }),
  z.object({
    ...eventBase,
    op: z.literal('edge.delete'),
    edge: topologyEdgeSchema.pick({ type: true, from: true, to: true }),
  }),
]);
export type EntityKind = z.infer<typeof entityKind>;
export type EdgeType = z.infer<typeof edgeType>;
export type TopologyEntity = z.infer<typeof topologyEntitySchema>;
export type TopologyEdge = z.infer<typeof topologyEdgeSchema>;
export type TopologyEvent = z.infer<typeof topologyEventSchema>;
