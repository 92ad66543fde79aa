import { releaseProperty } from '@vigil/contracts';
import type { ReleaseEvidence } from './rca-case';

/**
 * The releases the graph knows of, from its entities' properties: undefined when no entity has a
 * version at all (nobody reports releases here), else one per entity with a release time.
 */
export function releasesFromEntities(
  entities: ReadonlyArray<{ id: string; properties: Readonly<Record<string, unknown>> }>,
): ReleaseEvidence[] | undefined {
  if (!entities.some((e) => typeof e.properties[releaseProperty.version] === 'string'))
    return undefined;
  return entities.flatMap((e) => {
    const version = e.properties[releaseProperty.version];
    const at = Date.parse(String(e.properties[releaseProperty.at] ?? ''));
    if (typeof version !== 'string' || Number.isNaN(at)) return [];
    const kind = e.properties[releaseProperty.kind] === 'rollback' ? 'rollback' : 'deploy';
    return [{ service: e.id, version, at, kind }];
  });
}
