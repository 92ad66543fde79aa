import { z } from 'zod';
import { attributeMap, entityName } from './schemas/common';
import {
  edgeType,
  type EntityKind,
  type TopologyEdge,
  type TopologyEvent,
} from './schemas/topology-event.schema';

const idList = z.array(entityName).default([]);

const entityBase = {
  id: entityName,
  name: z.string().min(1).optional(),
  properties: attributeMap.default({}),
};

/**
 * The topology file people write (YAML or JSON): entities by kind, with their outgoing edges
 * inline where that reads naturally, and any other edge (or an edge with properties) under
 * `edges`. Unknown keys are refused rather than dropped: a misspelt `call:` would otherwise
 * import a topology without its edges and nobody would notice.
 */
export const topologyFileSchema = z.strictObject({
  services: z
    .array(z.strictObject({ ...entityBase, calls: idList, dependsOn: idList, runsOn: idList }))
    .default([]),
  instances: z
    .array(z.strictObject({ ...entityBase, of: entityName.optional(), runsOn: idList }))
    .default([]),
  hosts: z.array(z.strictObject(entityBase)).default([]),
  databases: z.array(z.strictObject({ ...entityBase, runsOn: idList })).default([]),
  queues: z.array(z.strictObject({ ...entityBase, runsOn: idList })).default([]),
  edges: z
    .array(
      z.strictObject({
        type: edgeType,
        from: entityName,
        to: entityName,
        properties: attributeMap.default({}),
      }),
    )
    .default([]),
});
export type TopologyFile = z.infer<typeof topologyFileSchema>;

/**
 * The plain graph offline tools also take (`vigil rca --topology graph.json`):
 * `{ services: [...], edges: [{ from, to, type }] }`, an edge a call unless its type says otherwise.
 */
export const topologyGraphSchema = z.object({
  services: z.array(entityName),
  edges: z.array(z.object({ from: entityName, to: entityName, type: edgeType.default('CALLS') })),
});
/** The plain graph as correlation and root-cause analysis take it: every edge has its type. */
export type TopologyGraph = z.output<typeof topologyGraphSchema>;
export type TopologyGraphEdge = TopologyGraph['edges'][number];

export interface TopologyFileOptions {
  source: string;
  occurredAt: Date;
  eventIdPrefix: string;
}

/** Every entity first, then every edge, so consumers see nodes before the edges between them. */
export function topologyFileToEvents(
  file: TopologyFile,
  options: TopologyFileOptions,
): TopologyEvent[] {
  let sequence = 0;
  const base = () => ({
    schemaVersion: 1 as const,
    eventId: `${options.eventIdPrefix}-${++sequence}`,
    source: options.source,
    occurredAt: options.occurredAt.toISOString(),
  });
  const entities: Array<{
    kind: EntityKind;
    id: string;
    name?: string;
    properties: Record<string, string | number | boolean | null>;
  }> = [
    ...file.services.map((e) => ({ ...e, kind: 'service' as const })),
    ...file.instances.map((e) => ({ ...e, kind: 'instance' as const })),
    ...file.hosts.map((e) => ({ ...e, kind: 'host' as const })),
    ...file.databases.map((e) => ({ ...e, kind: 'database' as const })),
    ...file.queues.map((e) => ({ ...e, kind: 'queue' as const })),
  ];
  const edges: Array<
    Omit<TopologyEdge, 'properties'> & { properties?: TopologyEdge['properties'] }
  > = [
    ...file.services.flatMap((s) => [
      ...s.calls.map((to) => ({ type: 'CALLS' as const, from: s.id, to })),
      ...s.dependsOn.map((to) => ({ type: 'DEPENDS_ON' as const, from: s.id, to })),
      ...s.runsOn.map((to) => ({ type: 'RUNS_ON' as const, from: s.id, to })),
    ]),
    ...file.instances.flatMap((i) => [
      ...(i.of ? [{ type: 'RUNS_ON' as const, from: i.id, to: i.of }] : []),
      ...i.runsOn.map((to) => ({ type: 'RUNS_ON' as const, from: i.id, to })),
    ]),
    ...[...file.databases, ...file.queues].flatMap((e) =>
      e.runsOn.map((to) => ({ type: 'RUNS_ON' as const, from: e.id, to })),
    ),
    ...file.edges,
  ];
  return [
    ...entities.map(({ kind, id, name, properties }) => ({
      ...base(),
      op: 'entity.upsert' as const,
      entity: { id, kind, name: name ?? id, properties },
    })),
    ...edges.map((edge) => ({
      ...base(),
      op: 'edge.upsert' as const,
      edge: { ...edge, properties: edge.properties ?? {} },
    })),
  ];
}

/** Edges that point at entities the file does not declare: usually a typo. */
export function undeclaredEdgeEnds(file: TopologyFile): string[] {
  const declared = new Set(
    [...file.services, ...file.instances, ...file.hosts, ...file.databases, ...file.queues].map(
      (e) => e.id,
    ),
  );
  const events = topologyFileToEvents(file, {
    source: 'check',
    occurredAt: new Date(0),
    eventIdPrefix: 'check',
  });
  const ends = events.flatMap((e) => (e.op === 'edge.upsert' ? [e.edge.from, e.edge.to] : []));
  return [...new Set(ends.filter((id) => !declared.has(id)))];
}
