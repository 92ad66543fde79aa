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

/**
 * A config change is told the same way, in properties of its own so it does not hide the release:
 * `configVersion` (the version now current) and `configChangedAt` (ISO time). Root-cause analysis
 * reads a config change shortly before a failure as its likely cause, like a deploy.
 */
export const configProperty = {
  version: 'configVersion',
  at: 'configChangedAt',
  /** `change`, or `rollback` when a remediation put an earlier version back. */
  kind: 'configChangeKind',
} as const;

export interface ConfigChange {
  entityId: string;
  entityKind: EntityKind;
  /** The config version current from `at` on. */
  version: number;
  kind: 'change' | 'rollback';
  at: Date;
  /** Who saw it (the executor that runs the service, a config pipeline). */
  source: string;
}

export function configChangeEvent(change: ConfigChange): TopologyEvent {
  const at = change.at.toISOString();
  return {
    schemaVersion: 1,
    eventId: `config:${change.entityId}:${change.version}:${at}`,
    source: change.source,
    occurredAt: at,
    op: 'entity.upsert',
    entity: {
      id: change.entityId,
      kind: change.entityKind,
      properties: {
        [configProperty.version]: change.version,
        [configProperty.at]: at,
        [configProperty.kind]: change.kind,
      },
    },
  };
}
