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

/** What a release and a config change have in common: a fact about an entity, at a time. */
interface EntityFact {
  entityId: string;
  entityKind: EntityKind;
  at: Date;
  source: string;
}

/** The fact as an upsert of the entity's properties; `what` and `version` make its event id. */
function entityFactEvent(
  fact: EntityFact,
  what: string,
  version: string | number,
  properties: (at: string) => Record<string, string | number>,
): TopologyEvent {
  const at = fact.at.toISOString();
  return {
    schemaVersion: 1,
    eventId: `${what}:${fact.entityId}:${version}:${at}`,
    source: fact.source,
    occurredAt: at,
    op: 'entity.upsert',
    entity: { id: fact.entityId, kind: fact.entityKind, properties: properties(at) },
  };
}

export function releaseEvent(release: Release): TopologyEvent {
  return entityFactEvent(release, 'release', release.version, (at) => ({
    [releaseProperty.version]: release.version,
    [releaseProperty.at]: at,
    [releaseProperty.kind]: release.kind,
  }));
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
  return entityFactEvent(change, 'config', change.version, (at) => ({
    [configProperty.version]: change.version,
    [configProperty.at]: at,
    [configProperty.kind]: change.kind,
  }));
}
