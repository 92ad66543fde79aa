import { configProperty, releaseProperty } from '@vigil/contracts';
import type { ReleaseEvidence } from './rca-case';

type Entity = { id: string; properties: Readonly<Record<string, unknown>> };

const reported = (e: Entity) =>
  typeof e.properties[releaseProperty.version] === 'string' ||
  typeof e.properties[configProperty.version] === 'number';

/**
 * The releases and config changes the graph knows of, from its entities' properties: undefined
 * when no entity has a version or a config version at all (nobody reports them here), else the
 * latest of each per entity that has a time.
 */
export function releasesFromEntities(entities: readonly Entity[]): ReleaseEvidence[] | undefined {
  if (!entities.some(reported)) return undefined;
  return entities.flatMap((e) => [...releaseOf(e), ...configChangeOf(e)]);
}

function releaseOf(e: Entity): ReleaseEvidence[] {
  const version = e.properties[releaseProperty.version];
  const at = Date.parse(String(e.properties[releaseProperty.at] ?? ''));
  if (typeof version !== 'string' || Number.isNaN(at)) return [];
  const kind = e.properties[releaseProperty.kind] === 'rollback' ? 'rollback' : 'deploy';
  return [{ service: e.id, version, at, kind }];
}

function configChangeOf(e: Entity): ReleaseEvidence[] {
  const version = e.properties[configProperty.version];
  const at = Date.parse(String(e.properties[configProperty.at] ?? ''));
  if (typeof version !== 'number' || Number.isNaN(at)) return [];
  const kind = e.properties[configProperty.kind] === 'rollback' ? 'rollback' : 'config';
  return [{ service: e.id, version: `config ${version}`, at, kind }];
}
