import type { EntityKind, TopologyEvent } from './schemas/topology-event.schema';

/**
 * A release is told as properties of the service's entity on `vigil.topology.v1`, so the graph
 * always holds what runs where and since when: `version`, `releasedAt` (ISO time) and
 * `releaseKind` (`deploy` or `rollback`). A topology file may give `version` alone.
 */
export const releaseProperty = {
  version: 'version',
  at: 'releasedAt',
  kind: 'releaseKind',
} as const;

export type ReleaseKind = 'deploy' | 'rollback';

export interface Release {
  entityId: string;
  entityKind: EntityKind;
  version: string;
  kind: ReleaseKind;
  at: Date;
  /** Who says so (an executor, a delivery pipeline). */
  source: string;
}

export function releaseEvent(release: Release): TopologyEvent {
  const at = release.at.toISOString();
  return {
    schemaVersion: 1,
    eventId: `release:${release.entityId}:${release.version}:${at}`,
    source: release.source,
    occurredAt: at,
    op: 'entity.upsert',
    entity: {
      id: release.entityId,
      kind: release.entityKind,
      properties: {
        [releaseProperty.version]: release.version,
        [releaseProperty.at]: at,
        [releaseProperty.kind]: release.kind,
      },
    },
  };
}
